using System.Runtime.CompilerServices;
using System.Text.Json;
using Nccid.Batch.Audit;
using Nccid.Batch.Pipeline;
using Nccid.Batch.Releases;
using Nccid.Batch.Storage;
using Nccid.Batch.Synthetic;
using Nccid.Batch.Tables;
using Nccid.Batch.Tests.Fixtures;
using Nccid.Batch.Tests.Tables;

namespace Nccid.Batch.Tests.Releases;

/// <summary>
/// Names that come from inputs (object keys, file and folder names, clinical pseudonyms, release ids and job fields)
/// never steer a write outside the output root, and nothing in a job file is ever run.
/// </summary>
public sealed class PathTraversalTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("../escape-{date}")]
    [InlineData("{name}/../../escape")]
    [InlineData("/tmp/escape-{date}")]
    [InlineData("..")]
    [InlineData(".hidden-{date}")]
    [InlineData("LATEST")]
    [InlineData("state")]
    [InlineData("a\\..\\b-{date}")]
    [InlineData("")]
    [InlineData("{name}-$(touch pwned)")]
    public void A_release_id_that_is_not_a_plain_folder_name_is_a_job_file_error(string releaseId)
    {
        var job = Path.Combine(_temp.Path, "job.json");
        File.WriteAllText(job, $$"""{ "name": "j", "source": "in", "output": "out", "releaseId": {{JsonSerializer.Serialize(releaseId)}} }""");
        var error = Assert.Throws<JobFileException>(() => ReleaseJobLoader.Load(job));
        Assert.StartsWith(job + ":", error.Message, StringComparison.Ordinal);
        Assert.Contains("at $.releaseId: '" + releaseId + "' does not give a plain folder name", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{name}-{date}")]
    [InlineData("nccid.v2_{date}")]
    [InlineData("release-7")]
    public void A_plain_release_id_is_accepted(string releaseId)
    {
        var job = Path.Combine(_temp.Path, "job.json");
        File.WriteAllText(job, $$"""{ "name": "j", "source": "in", "output": "out", "releaseId": {{JsonSerializer.Serialize(releaseId)}} }""");
        Assert.Equal(releaseId, ReleaseJobLoader.Load(job).ReleaseId);
    }

    [Fact]
    public async Task A_job_built_in_code_with_a_traversing_release_id_is_refused_before_anything_is_written()
    {
        var corpus = Corpus();
        var output = Path.Combine(_temp.Path, "sandbox", "out");
        var job = new ReleaseJob { Name = "code", Source = corpus, Output = output, AuditProfile = "nccid", ReleaseId = "../../escape-{date}" };
        var before = Snapshot(_temp.Path);

        var error = await Assert.ThrowsAsync<JobFileException>(() => ReleaseBuilder.RunAsync(job, "sha", new DateOnly(2021, 6, 1),
            new DateTimeOffset(2021, 6, 1, 12, 0, 0, TimeSpan.Zero), "test", TimeProvider.System, null, CancellationToken.None));

        Assert.Contains("'../../escape-2021-06-01' is not a plain folder name", error.Message, StringComparison.Ordinal);
        Assert.Empty(Snapshot(_temp.Path).Except(before));
        Assert.False(Directory.Exists(Path.Combine(_temp.Path, "escape-2021-06-01")));
    }

    [Fact]
    public async Task Object_keys_with_dot_dot_and_absolute_paths_are_values_of_rows_never_places_to_write()
    {
        var dicom = DicomFileWriter.ToBytes(ReferenceHeaders.ChestRadiograph(1, 1, withPixelData: false), new DicomWriteOptions());
        string[] keys = ["../../escape.dcm", "/etc/escape.dcm", "a/../../../escape.dcm", "a/b/../../../../tmp/escape.dcm", "$(touch pwned).dcm", "`touch pwned`.dcm"];
        var store = new KeyedStore(keys.ToDictionary(k => k, _ => dicom, StringComparer.Ordinal));
        var output = Path.Combine(_temp.Path, "sandbox", "out");
        var before = Snapshot(_temp.Path);

        var summary = await AuditScan.RunAsync(store, output, AuditProfile.Nccid, new ScanOptions { Parallelism = 2 }, new ParquetPartOptions(), new DateOnly(2021, 6, 1),
            includeHeaderJson: true, null, TimeProvider.System, null, null, CancellationToken.None);

        Assert.Equal(keys.Length, summary.Scan.Files);
        var paths = DuckDb.Query($"SELECT path, status FROM read_parquet({DuckDb.Parts(Path.Combine(output, "instances"))}) ORDER BY path");
        Assert.Equal(keys.Order(StringComparer.Ordinal), paths.Select(r => (string)r[0]!));
        Assert.All(paths, r => Assert.Equal("ok", r[1]));
        var created = Snapshot(_temp.Path).Except(before).ToList();
        Assert.NotEmpty(created);
        Assert.All(created, f => Assert.StartsWith(output + Path.DirectorySeparatorChar, f, StringComparison.Ordinal));
        Assert.DoesNotContain(created, f => f.Contains("escape", StringComparison.Ordinal) || f.Contains("pwned", StringComparison.Ordinal));
        Assert.False(File.Exists("/etc/escape.dcm"));
        Assert.False(File.Exists("/tmp/escape.dcm"));
    }

    [Fact]
    public void Hostile_file_names_pseudonyms_and_job_fields_are_never_run_and_every_write_stays_in_the_output()
    {
        var corpus = Corpus();
        var marker = Path.Combine(_temp.Path, "pwned");

        // A DICOM file and clinical files whose names and contents are shell syntax and traversals.
        var anyDicom = Directory.GetFiles(corpus, "*.dcm", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();
        // The program runs in the temporary folder, so "touch pwned" would create the marker there.
        File.Copy(anyDicom, Path.Combine(Path.GetDirectoryName(anyDicom)!, "$(touch pwned).dcm"));
        File.Copy(anyDicom, Path.Combine(Path.GetDirectoryName(anyDicom)!, "..`touch pwned`.dcm"));
        var hostileFolder = Path.Combine(corpus, "training", "data", "$(touch pwned)");
        Directory.CreateDirectory(hostileFolder);
        File.WriteAllText(Path.Combine(hostileFolder, "data_2021-01-01.json"), """{ "Pseudonym": "../../../escape", "SubmittingCentre": "$(touch pwned)" }""");
        var clinical = Directory.GetFiles(Path.Combine(corpus, "training", "data"), "data_*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(clinical)!, "data_`touch pwned`.json"), "{}");

        var output = Path.Combine(_temp.Path, "sandbox", "out");
        var job = Path.Combine(_temp.Path, "job.json");
        File.WriteAllText(job, $$"""
            {
              "name": "hostile",
              "source": {{JsonSerializer.Serialize(corpus)}},
              "output": {{JsonSerializer.Serialize(output)}},
              "auditProfile": {{JsonSerializer.Serialize(Path.Combine(RepositoryRoot.Find(), "jobs", "profiles", "nccid-quarantine.json"))}},
              "include": ["*.dcm", "$(touch pwned)"],
              "notifications": ["$(touch pwned)", "`touch pwned`", "https://127.0.0.1:9/$(touch%20pwned)"],
              "parallelism": 4
            }
            """);
        var before = Snapshot(_temp.Path);

        var run = CliProcess.Run(["release", job, "--as-of", "2021-06-01T12:00:00Z"], _temp.Path, TimeSpan.FromMinutes(3));

        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        Assert.False(File.Exists(marker), "a name or job field was run by a shell");
        var created = Snapshot(_temp.Path).Except(before).ToList();
        Assert.All(created, f => Assert.StartsWith(output + Path.DirectorySeparatorChar, f, StringComparison.Ordinal));
        Assert.DoesNotContain(Directory.GetFileSystemEntries("/", "escape*"), e => true);
        var release = Path.Combine(output, "releases", File.ReadAllText(Path.Combine(output, "releases", "LATEST")).Trim());
        var dicomPaths = DuckDb.Query($"SELECT path FROM read_parquet({DuckDb.Parts(Path.Combine(release, "instances"))}) WHERE path LIKE '%touch%'").Select(r => (string)r[0]!).ToList();
        Assert.Equal(2, dicomPaths.Count);
        var quarantined = DuckDb.Query($"SELECT path FROM read_parquet({DuckDb.Parts(Path.Combine(release, "quarantine"))}) WHERE kind = 'clinical_record' AND path LIKE '%touch%'");
        Assert.Equal(2, quarantined.Count);
    }

    private string Corpus()
    {
        var corpus = Path.Combine(_temp.Path, "corpus");
        if (!Directory.Exists(corpus)) SyntheticCorpusGenerator.Generate(corpus, new SyntheticCorpusOptions { Patients = 6, Seed = 5 }, CancellationToken.None);
        return corpus;
    }

    private static HashSet<string> Snapshot(string folder) =>
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories).ToHashSet(StringComparer.Ordinal);

    /// <summary>Objects held in memory under keys that a real bucket may hold.</summary>
    private sealed class KeyedStore(Dictionary<string, byte[]> objects) : IObjectStore
    {
        public string Description => "memory";

        public async IAsyncEnumerable<StoredObject> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            foreach (var (key, bytes) in objects.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                await Task.Yield();
                yield return new StoredObject(key, bytes.Length, new DateTime(2021, 1, 1, 0, 0, 0, DateTimeKind.Utc));
            }
        }

        public ValueTask<int> ReadAsync(StoredObject storedObject, long offset, Memory<byte> destination, CancellationToken cancellationToken)
        {
            var bytes = objects[storedObject.Key];
            var count = (int)Math.Clamp(bytes.Length - offset, 0, destination.Length);
            bytes.AsSpan((int)offset, count).CopyTo(destination.Span);
            return ValueTask.FromResult(count);
        }
    }
}
