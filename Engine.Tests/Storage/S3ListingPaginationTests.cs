using System.Globalization;
using Amazon.S3.Model;
using Nccid.Batch.Pipeline;
using Nccid.Batch.Storage;
using Nccid.Batch.Synthetic;
using Nccid.Batch.Tables;
using Nccid.Batch.Tests.Fixtures;
using Nccid.Batch.Tests.Tables;

namespace Nccid.Batch.Tests.Storage;

/// <summary>
/// A prefix of 2,500 objects: more than two pages of ListObjectsV2 (s3rver needs Node's legacy OpenSSL provider
/// for the continuation tokens of long listings, which the fixture turns on).
/// </summary>
public sealed class S3ListingPaginationTests(S3ServerFixture server) : IClassFixture<S3ServerFixture>
{
    private const int Objects = 2_500;

    [Fact]
    public async Task A_prefix_of_2500_objects_lists_completely_over_three_pages_and_scans_to_2500_rows()
    {
        var bucket = await server.CreateBucketAsync("many");
        var keys = Enumerable.Range(0, Objects).Select(i => string.Create(CultureInfo.InvariantCulture, $"batch/p{i % 50:D2}/image-{i:D4}.dcm")).ToArray();
        await Parallel.ForEachAsync(keys.Select((k, i) => (k, i)), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (item, ct) =>
        {
            var bytes = DicomFileWriter.ToBytes(ReferenceHeaders.ChestRadiograph(item.i, 0, withPixelData: false), new DicomWriteOptions());
            await server.Client.PutObjectAsync(new PutObjectRequest
            {
                BucketName = bucket, Key = item.k, InputStream = new MemoryStream(bytes), UseChunkEncoding = false,
            }, ct);
        });
        await server.PutAsync(bucket, "batch-after/decoy.dcm", [1, 2, 3]);
        await server.PutAsync(bucket, "aaa-before.dcm", [1, 2, 3]);

        using var store = server.OpenStore(bucket, "batch");
        var listed = new List<string>();
        await foreach (var o in store.ListAsync(CancellationToken.None)) listed.Add(o.Key);

        Assert.Equal(3, store.Requests);
        Assert.Equal(keys.Select(k => k["batch/".Length..]).Order(StringComparer.Ordinal), listed);

        using var temp = new TempDirectory();
        var summary = await InstanceScan.RunAsync(store, temp.Path, new ScanOptions { Parallelism = 16 }, new ParquetPartOptions(), includeHeaderJson: false,
            TimeProvider.System, null, CancellationToken.None);

        Assert.Equal(Objects, summary.Files);
        Assert.Equal(0, summary.Errors);
        Assert.Equal((long)Objects, Convert.ToInt64(DuckDb.Scalar($"SELECT count(DISTINCT path) FROM read_parquet({DuckDb.Parts(summary.TableDirectory)}) WHERE status = 'ok'")));
        Assert.Equal(Objects + 3 + 3, summary.Storage!.Requests);
        Assert.Equal((Objects + 6) / (double)Objects, summary.RequestsPerObject);
    }
}
