using System.Runtime.CompilerServices;
using Nccid.Batch.Storage;

namespace Nccid.Batch.Releases;

/// <summary>The objects of one shard, read through the whole source's store: lists the shard's objects only, in listing order.</summary>
internal sealed class ShardStore(IObjectStore source, IReadOnlyList<StoredObject> objects) : IObjectStore
{
    public string Description => source.Description;

    public async IAsyncEnumerable<StoredObject> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var stored in objects)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return stored;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    public ValueTask<int> ReadAsync(StoredObject storedObject, long offset, Memory<byte> destination, CancellationToken cancellationToken) =>
        source.ReadAsync(storedObject, offset, destination, cancellationToken);
}
