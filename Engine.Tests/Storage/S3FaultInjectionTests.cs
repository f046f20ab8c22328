using Nccid.Batch.Pipeline;
using Nccid.Batch.Storage;
using Nccid.Batch.Synthetic;
using Nccid.Batch.Tables;
using Nccid.Batch.Tests.Fixtures;
using Nccid.Batch.Tests.Tables;
using Xunit.Abstractions;

namespace Nccid.Batch.Tests.Storage;

/// <summary>Scans through a proxy that throttles, fails, drops and cuts off GETs, compared with a scan of the server itself.</summary>
public sealed class S3FaultInjectionTests(S3ServerFixture server, ITestOutputHelper output) : IClassFixture<S3ServerFixture>
{
    private const string Prefix = "submissions/";

    [Fact]
    public async Task Transient_faults_are_retried_and_the_instances_table_equals_the_direct_scan()
    {
        using var temp = new TempDirectory();
        var bucket = await UploadCorpusAsync(temp, "faults");

        // Each object meets at most two faults before its third attempt, within the store's budget of two retries.
        static ProxyFault Policy(string path, int attempt) => (StableHash(path) % 8, attempt) switch
        {
            (0, 1) => ProxyFault.SlowDown,
            (1, 1) => ProxyFault.InternalError,
            (2, 1) => ProxyFault.Drop,
            (3, 1) => ProxyFault.TruncateBody,
            (4, 1) => ProxyFault.Delay,
            (5, 1 or 2) => ProxyFault.SlowDown,
            _ => ProxyFault.None,
        };

        using var proxy = new FaultProxy(server.Endpoint, Policy);
        using var direct = server.OpenStore(bucket, Prefix);
        using var faulty = server.OpenStore(bucket, Prefix, maxRetries: 2, endpoint: proxy.Endpoint);
        var expected = await ScanAsync(direct, Path.Combine(temp.Path, "direct"));
        var actual = await ScanAsync(faulty, Path.Combine(temp.Path, "faulty"));

        foreach (var e in DuckDb.Query($"SELECT path, error FROM read_parquet({DuckDb.Parts(actual.TableDirectory)}) WHERE status <> 'ok' EXCEPT SELECT path, error FROM read_parquet({DuckDb.Parts(expected.TableDirectory)})")) output.WriteLine(Policy(bucket + "/" + Prefix + e[0], 1) + " " + e[1]);
        output.WriteLine($"{actual.Files} objects, {faulty.Requests} requests, {faulty.Retries} retries");
        Assert.Equal(expected.Files, actual.Files);
        Assert.Equal(expected.Errors, actual.Errors);
        Assert.True(expected.Files - expected.Errors >= 24, $"{expected.Errors} of {expected.Files} objects are not readable DICOM.");
        foreach (var fault in new[] { ProxyFault.SlowDown, ProxyFault.InternalError, ProxyFault.Drop, ProxyFault.TruncateBody, ProxyFault.Delay })
        {
            Assert.True(proxy.Injected(fault) > 0, $"No {fault} was injected.");
        }

        Assert.True(faulty.Retries > 0);
        Assert.Equal(proxy.Injected(ProxyFault.SlowDown) + proxy.Injected(ProxyFault.InternalError) + proxy.Injected(ProxyFault.Drop) + proxy.Injected(ProxyFault.TruncateBody),
            faulty.Retries);
        Assert.Equal(0, direct.Retries);
        AssertSameRows(expected, actual, exceptPath: null);
    }

    [Fact]
    public async Task An_object_failing_beyond_the_retry_budget_becomes_an_error_row_and_the_others_are_read()
    {
        using var temp = new TempDirectory();
        var bucket = await UploadCorpusAsync(temp, "budget");
        using var direct = server.OpenStore(bucket, Prefix);
        var expected = await ScanAsync(direct, Path.Combine(temp.Path, "direct"));
        var readable = DuckDb.Query($"SELECT path FROM read_parquet({DuckDb.Parts(expected.TableDirectory)}) WHERE status = 'ok' ORDER BY path");
        var victim = (string)readable[readable.Count / 2][0]!;
        var victimPath = bucket + "/" + Prefix + victim;

        using var proxy = new FaultProxy(server.Endpoint, (path, _) => path == victimPath ? ProxyFault.SlowDown : ProxyFault.None);
        using var faulty = server.OpenStore(bucket, Prefix, maxRetries: 2, endpoint: proxy.Endpoint);
        var actual = await ScanAsync(faulty, Path.Combine(temp.Path, "faulty"));

        Assert.Equal(3, proxy.Injected(ProxyFault.SlowDown));
        Assert.Equal(2, faulty.Retries);
        Assert.Equal(expected.Files, actual.Files);
        Assert.Equal(expected.Errors + 1, actual.Errors);
        var row = DuckDb.QueryRow($"SELECT path, status, error FROM read_parquet({DuckDb.Parts(actual.TableDirectory)}) WHERE path = '{victim}'");
        Assert.Equal(victim, row["path"]);
        Assert.Equal(InstanceRow.StatusError, row["status"]);
        Assert.Equal($"Unreadable: The file cannot be read: s3://{bucket}/{Prefix}{victim} failed after 3 attempts: HTTP 503 SlowDown.", row["error"]);
        AssertSameRows(expected, actual, exceptPath: victim);
    }

    private async Task<string> UploadCorpusAsync(TempDirectory temp, string hint)
    {
        var corpus = Path.Combine(temp.Path, "corpus");
        SyntheticCorpusGenerator.Generate(corpus, new SyntheticCorpusOptions { Patients = 12, Seed = 5 }, CancellationToken.None);
        var bucket = await server.CreateBucketAsync(hint);
        var uploaded = await server.UploadFolderAsync(bucket, Prefix, corpus);
        Assert.True(uploaded >= 24, $"{uploaded} objects");
        return bucket;
    }

    private static Task<ScanSummary> ScanAsync(IObjectStore store, string output) =>
        InstanceScan.RunAsync(store, output, new ScanOptions { Parallelism = 8, Window = 64 }, new ParquetPartOptions(), includeHeaderJson: true,
            TimeProvider.System, null, CancellationToken.None);

    private static void AssertSameRows(ScanSummary expected, ScanSummary actual, string? exceptPath)
    {
        var where = exceptPath is null ? string.Empty : $" WHERE path <> '{exceptPath.Replace("'", "''", StringComparison.Ordinal)}'";
        string Rows(ScanSummary s) => $"SELECT * EXCLUDE (filename) FROM read_parquet({DuckDb.Parts(s.TableDirectory)}, file_row_number = true, filename = true){where}";
        var rows = Convert.ToInt64(DuckDb.Scalar($"SELECT count(*) FROM ({Rows(expected)})"));
        Assert.Equal(exceptPath is null ? expected.Files : expected.Files - 1, rows);
        Assert.Equal(0L, Convert.ToInt64(DuckDb.Scalar($"SELECT count(*) FROM ({Rows(expected)} EXCEPT ALL {Rows(actual)})")));
        Assert.Equal(0L, Convert.ToInt64(DuckDb.Scalar($"SELECT count(*) FROM ({Rows(actual)} EXCEPT ALL {Rows(expected)})")));
    }

    /// <summary>FNV-1a: string.GetHashCode differs between processes, and the faults must not.</summary>
    private static uint StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text) hash = (hash ^ c) * 16777619u;
        return hash;
    }
}
