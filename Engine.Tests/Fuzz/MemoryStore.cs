using Nccid.Batch.Storage;

namespace Nccid.Batch.Fuzz;

/// <summary>One object held in memory and read in ranges, as the scan reads a file or an S3 object.</summary>
internal sealed class MemoryStore(byte[] bytes) : IObjectStore
{
    public string Description => "memory";

    public IAsyncEnumerable<StoredObject> ListAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public ValueTask<int> ReadAsync(StoredObject storedObject, long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        var count = (int)Math.Clamp(bytes.Length - offset, 0, destination.Length);
        bytes.AsSpan((int)offset, count).CopyTo(destination.Span);
        return ValueTask.FromResult(count);
    }
}
