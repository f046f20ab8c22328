using Nccid.Batch.Storage;
using Nccid.Batch.Tests.Fixtures;

namespace Nccid.Batch.Tests.Storage;

/// <summary>The storage contract against a real S3-compatible server; objects sit under a prefix beside decoys.</summary>
public sealed class S3ObjectStoreContractTests(S3ServerFixture server) : ObjectStoreContractTests, IClassFixture<S3ServerFixture>, IDisposable
{
    private readonly List<S3ObjectStore> _stores = [];

    public void Dispose()
    {
        foreach (var store in _stores) store.Dispose();
    }

    protected override async Task<IObjectStore> CreateStoreAsync(IReadOnlyList<(string Key, byte[] Content)> objects)
    {
        var bucket = await server.CreateBucketAsync("contract");
        foreach (var (key, content) in objects) await server.PutAsync(bucket, "root/" + key, content);

        // Keys beside the prefix must not leak into the listing: a sibling sharing its first letters, and one above it.
        await server.PutAsync(bucket, "root-other/decoy.dcm", [1, 2, 3]);
        await server.PutAsync(bucket, "rootless.dcm", [1]);
        var store = server.OpenStore(bucket, "root");
        _stores.Add(store);
        return store;
    }
}
