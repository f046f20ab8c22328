using System.Net;
using Amazon.S3;
using Nccid.Batch.Storage;

namespace Nccid.Batch.Tests.Storage;

public sealed class StorageLocationTests
{
    [Fact]
    public void An_s3_uri_becomes_bucket_and_folder_prefix()
    {
        var options = S3StoreOptions.Parse("s3://nccid-imaging/submissions/2024");
        Assert.Equal("nccid-imaging", options.Bucket);
        Assert.Equal("submissions/2024", options.Prefix);
        Assert.Equal("submissions/2024/", options.FolderPrefix);
        Assert.Equal("s3://nccid-imaging/submissions/2024", options.Description);
        Assert.Equal(string.Empty, S3StoreOptions.Parse("s3://nccid-imaging").FolderPrefix);
        Assert.Equal("s3://nccid-imaging/x", S3StoreOptions.Parse("s3://nccid-imaging/x/").Description);
    }

    [Theory]
    [InlineData("s3://")]
    [InlineData("s3:///prefix")]
    [InlineData("s3://Upper_Case/prefix")]
    public void A_uri_without_a_valid_bucket_is_rejected(string uri) => Assert.Throws<ArgumentException>(() => S3StoreOptions.Parse(uri));

    [Fact]
    public void Options_report_every_problem_at_once()
    {
        var problems = new S3StoreOptions { Bucket = "ok-bucket", MaxConcurrentRequests = 0, MaxRetries = -1, RequestTimeout = TimeSpan.Zero }.Validate();
        Assert.Equal(3, problems.Count);
    }

    [Fact]
    public void Folders_open_a_local_store_and_s3_uris_an_s3_store()
    {
        var folder = Directory.CreateTempSubdirectory("nccid-location-").FullName;
        try
        {
            Assert.IsType<LocalFileStore>(StorageLocation.Parse(folder));
            if (Environment.GetEnvironmentVariable("AWS_REGION") is null && Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION") is null)
            {
                // Without a region the SDK cannot build a client; the message says what to set and names only the location.
                var ex = Assert.Throws<ArgumentException>(() => StorageLocation.Parse("s3://nccid-imaging/raw"));
                Assert.Contains("s3://nccid-imaging/raw", ex.Message, StringComparison.Ordinal);
                Assert.Contains("AWS_REGION", ex.Message, StringComparison.Ordinal);
            }

            using var s3 = new S3ObjectStore(S3StoreOptions.Parse("s3://nccid-imaging/raw") with { Region = "eu-west-2" });
            Assert.Equal("s3://nccid-imaging/raw", s3.Description);
            Assert.True(StorageLocation.IsS3("S3://bucket"));
            Assert.False(StorageLocation.IsS3(folder));
            Assert.Throws<DirectoryNotFoundException>(() => StorageLocation.Parse(Path.Combine(folder, "missing")));
        }
        finally
        {
            Directory.Delete(folder);
        }
    }

    [Fact]
    public void An_endpoint_from_the_environment_is_used_with_path_style_addressing()
    {
        var env = new Dictionary<string, string> { ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9999", ["AWS_ENDPOINT_URL_S3"] = "http://127.0.0.1:9000", ["AWS_REGION"] = "eu-west-2" };
        var config = S3ObjectStore.CreateConfig(new S3StoreOptions { Bucket = "b-1" }, k => env.GetValueOrDefault(k));
        Assert.StartsWith("http://127.0.0.1:9000", config.ServiceURL, StringComparison.Ordinal);
        Assert.True(config.ForcePathStyle);
        Assert.Equal("eu-west-2", config.AuthenticationRegion);
        Assert.Equal(0, config.MaxErrorRetry);

        var plain = S3ObjectStore.CreateConfig(new S3StoreOptions { Bucket = "b-1", Region = "eu-west-2" }, _ => null);
        Assert.False(plain.ForcePathStyle);
        Assert.Equal("eu-west-2", plain.RegionEndpoint?.SystemName);
    }

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable, "SlowDown", true)]
    [InlineData(HttpStatusCode.InternalServerError, "InternalError", true)]
    [InlineData(HttpStatusCode.BadRequest, "RequestTimeout", true)]
    [InlineData(HttpStatusCode.NotFound, "NoSuchKey", false)]
    [InlineData(HttpStatusCode.Forbidden, "AccessDenied", false)]
    public void Throttling_and_server_errors_are_retried_and_client_errors_are_not(HttpStatusCode status, string code, bool transient)
    {
        var ex = new AmazonS3Exception("message") { StatusCode = status, ErrorCode = code };
        Assert.Equal(transient, S3ObjectStore.IsTransient(ex));
    }

    [Fact]
    public void Connection_resets_and_timeouts_are_retried()
    {
        Assert.True(S3ObjectStore.IsTransient(new HttpRequestException("reset", new IOException("Connection reset by peer"))));
        Assert.True(S3ObjectStore.IsTransient(new TaskCanceledException("timed out", new TimeoutException())));
        Assert.False(S3ObjectStore.IsTransient(new InvalidOperationException("bug")));
    }
}
