using System.Text.Json;
using Nccid.Batch.Synthetic;
using Nccid.Batch.Tests.Fixtures;
using Nccid.Batch.Tests.Tables;
using Xunit.Abstractions;

namespace Nccid.Batch.Tests.Releases;

/// <summary>
/// A release from S3 through a proxy that answers every GET of one object with 503 SlowDown, beyond the store's
/// retries, under each value of the job's <c>onReadError</c>: the run fails and publishes nothing, or the object
/// is an error row counted in manifest.json and summary.json. Never a release that silently lacks it.
/// </summary>
public sealed class ReadErrorPolicyTests(S3ServerFixture server, ITestOutputHelper output) : IClassFixture<S3ServerFixture>, IDisposable
{
    private const string Prefix = "submissions/";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task With_onReadError_fail_an_object_unreadable_beyond_the_retries_fails_the_release_and_publishes_nothing()
    {
        var (bucket, victim) = await UploadAsync("readfail");
        using var proxy = new FaultProxy(server.Endpoint, (path, _) => path == bucket + "/" + Prefix + victim ? ProxyFault.SlowDown : ProxyFault.None);
        var outputFolder = Path.Combine(_temp.Path, "out-fail");
        var run = Release(bucket, proxy, outputFolder, "fail");
        output.WriteLine(run.Stderr);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"nccid-batch release: 1 of ", run.Stderr, StringComparison.Ordinal);
        Assert.Contains($"objects of s3://{bucket}/", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("could not be read, and the job's $.onReadError is 'fail'; nothing was published.", run.Stderr, StringComparison.Ordinal);
        Assert.Contains($"{victim}: Unreadable: The file cannot be read: s3://{bucket}/{Prefix}{victim} failed after 7 attempts: HTTP 503 SlowDown.", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("set $.onReadError to 'errorRow'", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(7, proxy.Injected(ProxyFault.SlowDown));
        Assert.Empty(await PublishedReleases.AssertWholeAsync(outputFolder, "failed release"));
        Assert.False(File.Exists(Path.Combine(outputFolder, "releases", "LATEST")));
        Assert.Empty(PublishedReleases.Leftovers(outputFolder));
    }

    [Fact]
    public async Task With_onReadError_errorRow_the_object_is_an_error_row_counted_in_the_manifest_and_summary()
    {
        var (bucket, victim) = await UploadAsync("readrow");
        using var proxy = new FaultProxy(server.Endpoint, (path, _) => path == bucket + "/" + Prefix + victim ? ProxyFault.SlowDown : ProxyFault.None);
        var outputFolder = Path.Combine(_temp.Path, "out-row");
        var run = Release(bucket, proxy, outputFolder, "errorRow");

        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        var id = Assert.Single(await PublishedReleases.AssertWholeAsync(outputFolder, "released with an error row"));
        var release = Path.Combine(outputFolder, "releases", id);
        var row = DuckDb.QueryRow($"SELECT status, error FROM read_parquet({DuckDb.Parts(Path.Combine(release, "instances"))}) WHERE path = '{victim}'");
        Assert.Equal("error", row["status"]);
        Assert.Equal($"Unreadable: The file cannot be read: s3://{bucket}/{Prefix}{victim} failed after 7 attempts: HTTP 503 SlowDown.", row["error"]);
        Assert.Equal(0L, Convert.ToInt64(DuckDb.Scalar($"SELECT count(*) FROM read_parquet({DuckDb.Parts(Path.Combine(release, "imaging_outcomes"))}) WHERE path = '{victim}'")));

        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(release, "manifest.json")));
        Assert.Equal(1, manifest.RootElement.GetProperty("inputs").GetProperty("dicom_unreadable_files").GetInt64());
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(release, "summary.json")));
        Assert.Equal(1, summary.RootElement.GetProperty("dicom_errors_by_kind").GetProperty("Unreadable").GetInt64());
        Assert.Equal(manifest.RootElement.GetProperty("inputs").GetProperty("dicom_files").GetInt64(), summary.RootElement.GetProperty("dicom_files").GetInt64());
    }

    private async Task<(string Bucket, string Victim)> UploadAsync(string hint)
    {
        var corpus = Path.Combine(_temp.Path, "corpus");
        if (!Directory.Exists(corpus)) SyntheticCorpusGenerator.Generate(corpus, new SyntheticCorpusOptions { Patients = 8, Seed = 5 }, CancellationToken.None);
        var bucket = await server.CreateBucketAsync(hint);
        await server.UploadFolderAsync(bucket, Prefix, corpus);
        var victim = Directory.GetFiles(corpus, "*.dcm", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(corpus, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal).First();
        return (bucket, victim);
    }

    private CliProcess.Output Release(string bucket, FaultProxy proxy, string outputFolder, string policy)
    {
        var job = Path.Combine(_temp.Path, $"job-{policy}.json");
        File.WriteAllText(job, $$"""
            {
              "name": "from-s3",
              "source": "s3://{{bucket}}/{{Prefix}}",
              "clinicalSource": {{JsonSerializer.Serialize(Path.Combine(_temp.Path, "corpus"))}},
              "output": {{JsonSerializer.Serialize(outputFolder)}},
              "auditProfile": {{JsonSerializer.Serialize(Path.Combine(RepositoryRoot.Find(), "jobs", "profiles", "nccid-quarantine.json"))}},
              "parallelism": 4,
              "onReadError": "{{policy}}"
            }
            """);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AWS_ENDPOINT_URL_S3"] = proxy.Endpoint.ToString(),
            ["AWS_ACCESS_KEY_ID"] = "S3RVER",
            ["AWS_SECRET_ACCESS_KEY"] = "S3RVER",
            ["AWS_REGION"] = "us-east-1",
        };
        return CliProcess.Run(["release", job, "--as-of", "2021-06-01T12:00:00Z"], _temp.Path, Timeout, environment);
    }
}
