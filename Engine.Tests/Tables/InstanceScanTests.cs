using System.Security.Cryptography;
using System.Text.Json;
using Nccid.Batch.Pipeline;
using Nccid.Batch.Storage;
using Nccid.Batch.Synthetic;
using Nccid.Batch.Tables;

namespace Nccid.Batch.Tests.Tables;

/// <summary>A synthetic corpus of about 20,000 files with every defect kind, generated once for the scan tests.</summary>
public sealed class ScannedCorpusFixture : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();

    public string Corpus => Path.Combine(_temp.Path, "corpus");

    public string Output => Path.Combine(_temp.Path, "out");

    public ScanSummary Summary { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        SyntheticCorpusGenerator.Generate(Corpus, new SyntheticCorpusOptions { Patients = 1750, Seed = 20_000 }, CancellationToken.None);
        Summary = await InstanceScan.RunAsync(new LocalFileStore(Corpus), Output, new ScanOptions { Parallelism = 8 }, new ParquetPartOptions(),
            includeHeaderJson: true, TimeProvider.System, null, CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class InstanceScanTests(ScannedCorpusFixture corpus) : IClassFixture<ScannedCorpusFixture>
{
    private string Table => DuckDb.Parts(Path.Combine(corpus.Output, "instances"));

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');

    [Fact]
    public void Scan_of_a_20000_file_corpus_gives_one_row_per_file_read_by_DuckDB()
    {
        var files = Directory.EnumerateFiles(corpus.Corpus, "*", SearchOption.AllDirectories).Select(f => Relative(corpus.Corpus, f)).ToHashSet(StringComparer.Ordinal);
        Assert.True(files.Count >= 20_000, $"only {files.Count} files were generated");
        Assert.Equal((long)files.Count, Convert.ToInt64(DuckDb.Scalar($"SELECT count(*) FROM read_parquet({Table})")));
        Assert.Equal((long)files.Count, Convert.ToInt64(DuckDb.Scalar($"SELECT count(DISTINCT path) FROM read_parquet({Table})")));
        var paths = DuckDb.Query($"SELECT path FROM read_parquet({Table})").Select(r => (string)r[0]!).ToList();
        Assert.True(paths.ToHashSet(StringComparer.Ordinal).SetEquals(files));
        Assert.Equal(corpus.Summary.Files, paths.Count);
    }

    [Fact]
    public void Errors_are_rows_with_a_reason_and_every_injected_unreadable_file_is_one()
    {
        var errors = DuckDb.Query($"SELECT path, error FROM read_parquet({Table}) WHERE status = 'error'")
            .ToDictionary(r => (string)r[0]!, r => (string?)r[1], StringComparer.Ordinal);
        Assert.Equal(corpus.Summary.Errors, errors.Count);
        Assert.All(errors.Values, e => Assert.False(string.IsNullOrWhiteSpace(e)));
        Assert.Equal(0L, Convert.ToInt64(DuckDb.Scalar($"SELECT count(*) FROM read_parquet({Table}) WHERE status = 'ok' AND error IS NOT NULL")));

        var notDicom = 0;
        foreach (var line in File.ReadLines(Path.Combine(corpus.Corpus, SyntheticCorpusGenerator.LedgerFileName)))
        {
            using var doc = JsonDocument.Parse(line);
            if (doc.RootElement.GetProperty("kind").GetString() != "not_dicom") continue;
            var path = doc.RootElement.GetProperty("path").GetString()!;
            Assert.True(errors.ContainsKey(path), $"{path} was injected as not DICOM but is not an error row");
            Assert.StartsWith("NotDicom", errors[path]);
            notDicom++;
        }

        Assert.True(notDicom > 0);
    }

    [Fact]
    public void Typed_columns_hold_the_values_of_the_files()
    {
        var row = DuckDb.QueryRow($$"""
            SELECT count(*) FILTER (WHERE Modality IN ('CR', 'DX', 'CT', 'MR')) AS imaging,
                   count(*) FILTER (WHERE status = 'ok') AS ok,
                   count(*) FILTER (WHERE status = 'ok' AND path LIKE '%/ct/%' AND array_length(ImagePositionPatient) = 3) AS ct_positions,
                   count(*) FILTER (WHERE status = 'ok' AND path LIKE '%/ct/%') AS ct,
                   count(*) FILTER (WHERE status = 'ok' AND header_json LIKE '{"00080005"%') AS json_rows,
                   min(StudyDate) AS first_study, typeof(min(StudyDate)) AS date_type, typeof(min(Rows)) AS int_type
            FROM read_parquet({{Table}})
            """);
        Assert.Equal("DATE", row["date_type"]);
        Assert.Equal("INTEGER", row["int_type"]);
        Assert.True(Convert.ToInt64(row["imaging"]) > 0.8 * Convert.ToInt64(row["ok"]));
        Assert.True(Convert.ToInt64(row["ct"]) > 0);
        Assert.True(Convert.ToInt64(row["ct_positions"]) > 0.9 * Convert.ToInt64(row["ct"]));
        Assert.True(Convert.ToInt64(row["json_rows"]) > 0.5 * Convert.ToInt64(row["ok"]));
    }

    [Fact]
    public async Task Output_is_the_same_bytes_whatever_the_parallelism()
    {
        using var temp = new TempDirectory();
        var corpusRoot = Path.Combine(temp.Path, "small");
        SyntheticCorpusGenerator.Generate(corpusRoot, new SyntheticCorpusOptions { Patients = 40, Seed = 3 }, CancellationToken.None);
        var hashes = new List<string>();
        foreach (var parallelism in new[] { 1, 3, 16 })
        {
            var output = Path.Combine(temp.Path, "out-" + parallelism);
            var summary = await InstanceScan.RunAsync(new LocalFileStore(corpusRoot), output, new ScanOptions { Parallelism = parallelism, Window = 64 },
                new ParquetPartOptions(), includeHeaderJson: true, TimeProvider.System, null, CancellationToken.None);
            var part = Assert.Single(summary.Parts);
            hashes.Add(Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(part))));
        }

        Assert.Single(hashes.Distinct());
    }

    [Fact]
    public void No_staging_folder_is_left_next_to_the_table()
    {
        Assert.Equal(new[] { "instances" }, Directory.GetDirectories(corpus.Output).Select(d => Path.GetFileName(d)).ToArray());
    }
}
