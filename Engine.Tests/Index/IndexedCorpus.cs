using Nccid.Batch.Audit;
using Nccid.Batch.Index;
using Nccid.Batch.Pipeline;
using Nccid.Batch.Storage;
using Nccid.Batch.Synthetic;
using Nccid.Batch.Tables;
using Nccid.Batch.Tests.Tables;

namespace Nccid.Batch.Tests.Index;

/// <summary>A live copy of a synthetic corpus to add, change and delete files in, and runs of the audit with and without the index.</summary>
internal sealed class IndexedCorpus : IDisposable
{
    private static readonly string[] AuditTables = ["instances", "quality_findings", "deid_findings", "quarantine", "audit_summary"];
    private readonly TempDirectory _temp = new();

    public IndexedCorpus(int patients = 25, ulong seed = 3, double defectRate = 0.03)
    {
        SyntheticCorpusGenerator.Generate(Extra, new SyntheticCorpusOptions { Patients = 6, Seed = seed + 100 }, CancellationToken.None);
        SyntheticCorpusGenerator.Generate(Live, new SyntheticCorpusOptions { Patients = patients, Seed = seed }.WithAllDefectRates(defectRate), CancellationToken.None);
    }

    public string Root => _temp.Path;

    /// <summary>The corpus the runs scan; tests change it.</summary>
    public string Live => Path.Combine(_temp.Path, "live");

    /// <summary>Another corpus, the source of added files.</summary>
    public string Extra => Path.Combine(_temp.Path, "extra");

    public static ScanOptions Options { get; } = new() { Parallelism = 4 };

    public string Out(string name) => Path.Combine(_temp.Path, name);

    public IReadOnlyList<string> DicomFiles(string root) =>
        Directory.GetFiles(root, "*.dcm", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();

    /// <summary>Copies <paramref name="count"/> files of the extra corpus into the live one under <c>added/</c>.</summary>
    public int Add(int count)
    {
        var files = DicomFiles(Extra).Take(count).ToArray();
        foreach (var file in files)
        {
            var target = Path.Combine(Live, "added", Path.GetRelativePath(Extra, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return files.Length;
    }

    /// <summary>Replaces a live file's bytes with another file's and gives it a new modification time.</summary>
    public void Change(string relativePath, int extraIndex)
    {
        var path = Path.Combine(Live, relativePath);
        File.Copy(DicomFiles(Extra)[extraIndex], path, overwrite: true);
        File.SetLastWriteTimeUtc(path, new DateTime(2030, 1, 2, 3, 4, 5, DateTimeKind.Utc));
    }

    public void Delete(string relativePath) => File.Delete(Path.Combine(Live, relativePath));

    public string Relative(string path) => Path.GetRelativePath(Live, path).Replace('\\', '/');

    /// <summary>The audit with the index in <paramref name="output"/>/index.</summary>
    public static async Task<IndexReport> AuditIndexed(string source, string output, AuditProfile profile, DateOnly date, bool full = false, int parserVersion = ScanIndexVersions.Parser)
    {
        var store = new LocalFileStore(source);
        var settings = ScanIndexSettings.ForAudit(store, Options, true, profile, date) with { ParserVersion = parserVersion };
        var session = new ScanIndexSession<AuditedInstance>(ScanIndexStore.DirectoryFor(Path.Combine(output, "index"), settings), settings, new AuditedInstanceCodec(profile), full);
        await AuditScan.RunAsync(store, output, profile, Options, new ParquetPartOptions(), date, true, null, TimeProvider.System, null, null, CancellationToken.None,
            session.RunAsync);
        return session.Report!;
    }

    /// <summary>
    /// The audit with the index in <c>&lt;keptIn&gt;-index</c> and the collection state in <c>&lt;keptIn&gt;-state.bin</c>, its
    /// tables cut into small chunks (8 to 64 rows) and their parts taken over from <paramref name="previous"/>.
    /// </summary>
    public async Task<(AuditSummary Summary, IndexReport Report)> AuditWithState(string output, bool useIndex = true, string keptIn = "kept", string? previous = null,
        IObjectStore? store = null)
    {
        store ??= new LocalFileStore(Live);
        var settings = ScanIndexSettings.ForAudit(store, Options, true, AuditProfile.Nccid, StateToday);
        var codec = new AuditedInstanceCodec(AuditProfile.Nccid);
        var chunks = new PartChunking("test salt", previous) { MinRows = 8, MaxRows = 64, Divisor = 12 };
        var session = new ScanIndexSession<AuditedInstance>(ScanIndexStore.DirectoryFor(Out(keptIn + "-index"), settings), settings, codec, full: !useIndex)
        {
            Chunking = chunks,
        };
        var chunking = chunks with
        {
            CollectionStateFile = Out(keptIn + "-state.bin"), CollectionStateScope = store.Description,
            ChunkFacts = fingerprint => session.EntriesOf(fingerprint).Select(codec.DecodeFacts),
        };
        var summary = await AuditScan.RunAsync(store, output, AuditProfile.Nccid, Options, new ParquetPartOptions(), StateToday, true, null, TimeProvider.System,
            null, null, CancellationToken.None, session.RunAsync, chunking);
        return (summary, session.Report!);
    }

    private static readonly DateOnly StateToday = new(2022, 1, 1);

    /// <summary>The audit as it runs without any index: the reference.</summary>
    public static Task<AuditSummary> AuditPlain(string source, string output, AuditProfile profile, DateOnly date) =>
        AuditScan.RunAsync(new LocalFileStore(source), output, profile, Options, new ParquetPartOptions(), date, true, null, TimeProvider.System, null, null, CancellationToken.None);

    /// <summary>Asserts that every part file of every audit table is byte for byte the same in both outputs.</summary>
    public static void AssertSameTables(string expected, string actual, IEnumerable<string>? tables = null)
    {
        foreach (var table in tables ?? AuditTables)
        {
            var a = Directory.GetFiles(Path.Combine(expected, table), "*.parquet").Order(StringComparer.Ordinal).ToArray();
            var b = Directory.GetFiles(Path.Combine(actual, table), "*.parquet").Order(StringComparer.Ordinal).ToArray();
            Assert.Equal(a.Select(Path.GetFileName), b.Select(Path.GetFileName));
            for (var i = 0; i < a.Length; i++)
            {
                Assert.True(File.ReadAllBytes(a[i]).AsSpan().SequenceEqual(File.ReadAllBytes(b[i])), $"{table}/{Path.GetFileName(a[i])} differs from a full run's");
            }
        }
    }

    public void Dispose() => _temp.Dispose();
}
