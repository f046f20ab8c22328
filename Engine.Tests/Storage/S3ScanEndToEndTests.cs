using Nccid.Batch.Pipeline;
using Nccid.Batch.Storage;
using Nccid.Batch.Synthetic;
using Nccid.Batch.Tables;
using Nccid.Batch.Tests.Fixtures;
using Nccid.Batch.Tests.Tables;
using Xunit.Abstractions;

namespace Nccid.Batch.Tests.Storage;

/// <summary>A synthetic corpus with full-size pixels, scanned from a folder and from a bucket holding the same files.</summary>
public sealed class S3ScanEndToEndTests(S3ServerFixture server, ITestOutputHelper output) : IClassFixture<S3ServerFixture>
{
    [Fact]
    public async Task Scanning_the_bucket_gives_the_folder_scan_row_for_row_with_one_ranged_GET_per_object()
    {
        using var temp = new TempDirectory();
        var corpus = Path.Combine(temp.Path, "corpus");
        SyntheticCorpusGenerator.Generate(corpus, new SyntheticCorpusOptions { Patients = 40, Seed = 11, RealisticPixels = true }, CancellationToken.None);
        var bucket = await server.CreateBucketAsync("corpus");
        var uploaded = await server.UploadFolderAsync(bucket, "submissions/2024/", corpus);

        using var s3 = server.OpenStore(bucket, "submissions/2024");
        var local = new LocalFileStore(corpus);
        Assert.Equal(await Keys(local), await Keys(s3));
        Assert.Equal(uploaded, (await Keys(s3)).Count);

        var options = new ScanOptions { Parallelism = 8, Window = 256 };
        var fromDisk = await InstanceScan.RunAsync(local, Path.Combine(temp.Path, "disk"), options, new ParquetPartOptions(), includeHeaderJson: true,
            TimeProvider.System, null, CancellationToken.None);
        var listingAndGetsBefore = s3.Requests;
        var fromS3 = await InstanceScan.RunAsync(s3, Path.Combine(temp.Path, "s3"), options, new ParquetPartOptions(), includeHeaderJson: true,
            TimeProvider.System, null, CancellationToken.None);

        Assert.Equal("s3://" + bucket + "/submissions/2024", fromS3.Source);
        Assert.Equal(uploaded, fromS3.Files);
        Assert.Equal(fromDisk.Files, fromS3.Files);
        Assert.Equal(fromDisk.Errors, fromS3.Errors);
        Assert.Equal(fromDisk.BytesStored, fromS3.BytesStored);
        Assert.Equal(fromDisk.BytesRead, fromS3.BytesRead);

        // Row for row: every column but modified_utc (upload time versus file time), with the row's position in the part.
        string Rows(ScanSummary s) => $"SELECT * EXCLUDE (modified_utc, filename) FROM read_parquet({DuckDb.Parts(s.TableDirectory)}, file_row_number = true, filename = true)";
        Assert.Single(fromDisk.Parts);
        Assert.Single(fromS3.Parts);
        Assert.Equal(uploaded, Convert.ToInt64(DuckDb.Scalar($"SELECT count(*) FROM ({Rows(fromS3)})")));
        Assert.Equal(0L, Convert.ToInt64(DuckDb.Scalar($"SELECT count(*) FROM ({Rows(fromDisk)} EXCEPT ALL {Rows(fromS3)})")));
        Assert.Equal(0L, Convert.ToInt64(DuckDb.Scalar($"SELECT count(*) FROM ({Rows(fromS3)} EXCEPT ALL {Rows(fromDisk)})")));
        Assert.True(Convert.ToInt64(DuckDb.Scalar($"SELECT count(*) FROM read_parquet({DuckDb.Parts(fromS3.TableDirectory)}) WHERE status = 'ok'")) > uploaded / 2);

        // Header reads: one ranged GET for almost every object, and a small fraction of the stored bytes.
        var requestsPerObject = (double)fromS3.Requests / fromS3.Files;
        var fetchedRatio = (double)fromS3.BytesRead / fromS3.BytesStored;
        output.WriteLine(FormattableString.Invariant(
            $"{fromS3.Files} objects, {fromS3.Requests} GETs ({requestsPerObject:F3}/object), {fromS3.BytesRead:N0} of {fromS3.BytesStored:N0} bytes fetched ({fetchedRatio:P2}), {s3.Retries} retries"));
        Assert.True(requestsPerObject <= 1.1, FormattableString.Invariant($"{requestsPerObject:F3} requests per object"));
        Assert.Equal(fromS3.Requests, s3.Requests - listingAndGetsBefore - ListingPages(uploaded));
        Assert.Equal(fromS3.BytesRead, s3.BytesFetched);
        Assert.True(fetchedRatio < 0.2, FormattableString.Invariant($"{fetchedRatio:P2} of the stored bytes were fetched"));
        Assert.Equal(0, s3.Retries);
    }

    private static long ListingPages(long objects) => Math.Max(1, (objects + 999) / 1000);

    private static async Task<List<string>> Keys(IObjectStore store)
    {
        var keys = new List<string>();
        await foreach (var o in store.ListAsync(CancellationToken.None)) keys.Add(o.Key);
        return keys;
    }
}
