using System.Text;
using Nccid.Batch.Index;
using Nccid.Batch.Pipeline;
using Nccid.Batch.Storage;
using Nccid.Batch.Synthetic;
using Nccid.Batch.Tables;
using Nccid.Batch.Tests.Fixtures;
using Nccid.Batch.Tests.Index;
using Nccid.Batch.Tests.Tables;

namespace Nccid.Batch.Tests.Storage;

/// <summary>The scan index over a bucket of the test server, where listed times are too coarse to see every rewrite.</summary>
public sealed class S3ScanIndexTests(S3ServerFixture server) : IClassFixture<S3ServerFixture>
{
    private const string Prefix = "drop";

    [Fact]
    public async Task An_object_rewritten_with_the_same_size_in_the_same_listed_second_is_read_again_by_its_ETag()
    {
        using var temp = new TempDirectory();
        var corpus = Path.Combine(temp.Path, "corpus");
        SyntheticCorpusGenerator.Generate(corpus, new SyntheticCorpusOptions { Patients = 4, Seed = 5 }, CancellationToken.None);
        var bucket = await server.CreateBucketAsync("index");
        var uploaded = await server.UploadFolderAsync(bucket, Prefix + "/", corpus);
        using var s3 = server.OpenStore(bucket, Prefix);
        var store = new SameSecondStore(s3);
        var output = Path.Combine(temp.Path, "out");

        var (first, firstSummary) = await ScanAsync(store, output, index: true);
        Assert.Equal(("full", (long)uploaded), (first.Mode, first.ParsedNew));

        // A new SOP Instance UID of the same length: the same size, another ETag, and a row that differs.
        var (key, uid) = FirstInstance(firstSummary);
        var renumbered = uid[..^1] + (uid[^1] == '1' ? '2' : '1');
        var bytes = await server.GetAsync(bucket, Prefix + "/" + key);
        var rewritten = Replace(bytes, uid, renumbered);
        Assert.Equal(bytes.Length, rewritten.Length);
        await server.PutAsync(bucket, Prefix + "/" + key, rewritten);

        var (second, secondSummary) = await ScanAsync(store, output, index: true);
        Assert.Equal(("incremental", 0L, 1L, 0L, uploaded - 1L), (second.Mode, second.ParsedNew, second.ParsedChanged, second.Deleted, second.Reused));
        Assert.Equal(renumbered, InstanceUid(secondSummary, key));

        var reference = Path.Combine(temp.Path, "reference");
        await ScanAsync(store, reference, index: false);
        IndexedCorpus.AssertSameTables(reference, output, ["instances"]);
    }

    [Fact]
    public async Task A_read_after_the_listed_object_was_rewritten_fails_rather_than_mix_two_versions()
    {
        var bucket = await server.CreateBucketAsync("if-match");
        await server.PutAsync(bucket, Prefix + "/a.dcm", Enumerable.Repeat((byte)1, 100).ToArray());
        using var proxy = new FaultProxy(server.Endpoint, (_, _) => ProxyFault.None);
        using var s3 = server.OpenStore(bucket, Prefix, endpoint: proxy.Endpoint);
        var listed = await SingleAsync(s3);
        var buffer = new byte[10];
        Assert.Equal(10, await s3.ReadAsync(listed, 0, buffer, CancellationToken.None));

        await server.PutAsync(bucket, Prefix + "/a.dcm", Enumerable.Repeat((byte)2, 100).ToArray());
        var error = await Assert.ThrowsAsync<IOException>(() => s3.ReadAsync(listed, 10, buffer, CancellationToken.None).AsTask());
        Assert.Equal($"s3://{bucket}/{Prefix}/a.dcm changed after it was listed (412 PreconditionFailed): the next run reads it again.", error.Message);
        Assert.Equal((1, 0), (proxy.PreconditionsFailed, s3.Retries));

        var relisted = await SingleAsync(s3);
        Assert.NotEqual(listed.ETag, relisted.ETag);
        Assert.Equal(10, await s3.ReadAsync(relisted, 10, buffer, CancellationToken.None));
        Assert.All(buffer, b => Assert.Equal(2, b));
    }

    private static async Task<StoredObject> SingleAsync(IObjectStore store)
    {
        var objects = new List<StoredObject>();
        await foreach (var o in store.ListAsync(CancellationToken.None)) objects.Add(o);
        return Assert.Single(objects);
    }

    private static async Task<(IndexReport Report, ScanSummary Summary)> ScanAsync(IObjectStore store, string output, bool index)
    {
        var options = new ScanOptions { Parallelism = 4 };
        if (!index) return (null!, await InstanceScan.RunAsync(store, output, options, new ParquetPartOptions(), true, TimeProvider.System, null, CancellationToken.None));
        var settings = ScanIndexSettings.ForScan(store, options, true);
        var session = new ScanIndexSession<InstanceRow>(ScanIndexStore.DirectoryFor(Path.Combine(output, "index"), settings), settings, new InstanceRowCodec(), false);
        var summary = await InstanceScan.RunAsync(store, output, options, new ParquetPartOptions(), true, TimeProvider.System, null, CancellationToken.None, session.RunAsync);
        return (session.Report!, summary);
    }

    private static (string Key, string Uid) FirstInstance(ScanSummary summary)
    {
        var row = DuckDb.Query($"SELECT path, SOPInstanceUID FROM read_parquet({DuckDb.Parts(summary.TableDirectory)}) WHERE SOPInstanceUID IS NOT NULL ORDER BY path LIMIT 1").Single();
        return ((string)row[0]!, (string)row[1]!);
    }

    private static string? InstanceUid(ScanSummary summary, string key) =>
        (string?)DuckDb.Scalar($"SELECT SOPInstanceUID FROM read_parquet({DuckDb.Parts(summary.TableDirectory)}) WHERE path = '{key}'");

    /// <summary>Every occurrence of <paramref name="from"/> replaced (the file meta's copy of the UID too).</summary>
    private static byte[] Replace(byte[] bytes, string from, string to)
    {
        var (a, b) = (Encoding.ASCII.GetBytes(from), Encoding.ASCII.GetBytes(to));
        var result = bytes.ToArray();
        var replaced = 0;
        for (var at = result.AsSpan().IndexOf(a); at >= 0; at = result.AsSpan().IndexOf(a))
        {
            b.CopyTo(result, at);
            replaced++;
        }

        Assert.InRange(replaced, 1, 4);
        return result;
    }

    /// <summary>A bucket whose every object lists with the same time, as two writes in one second list on S3.</summary>
    private sealed class SameSecondStore(IObjectStore inner) : IObjectStore
    {
        private static readonly DateTime Listed = new(2026, 12, 1, 8, 0, 0, DateTimeKind.Utc);

        public string Description => inner.Description;

        public async IAsyncEnumerable<StoredObject> ListAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (var o in inner.ListAsync(cancellationToken)) yield return o with { ModifiedUtc = Listed };
        }

        public ValueTask<int> ReadAsync(StoredObject storedObject, long offset, Memory<byte> destination, CancellationToken cancellationToken) =>
            inner.ReadAsync(storedObject, offset, destination, cancellationToken);
    }
}
