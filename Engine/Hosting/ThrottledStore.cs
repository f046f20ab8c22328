using Nccid.Batch.Storage;

namespace Nccid.Batch.Hosting;

/// <summary>Test only (<see cref="ClusterOptions.ShardReadDelay"/>): waits before every read, so a shard lasts long enough to be interrupted.</summary>
internal sealed class ThrottledStore(IObjectStore inner, TimeSpan delay, TimeProvider time) : IObjectStore
{
    public string Description => inner.Description;

    public IAsyncEnumerable<StoredObject> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(cancellationToken);

    public async ValueTask<int> ReadAsync(StoredObject storedObject, long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
        return await inner.ReadAsync(storedObject, offset, destination, cancellationToken).ConfigureAwait(false);
    }
}
