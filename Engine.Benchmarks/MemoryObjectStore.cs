using Nccid.Batch.Storage;

namespace Nccid.Batch.Benchmarks;

/// <summary>An object store over byte arrays in memory, so that setup can project many headers without a disk.</summary>
internal sealed class MemoryObjectStore : IObjectStore
{
    private readonly Dictionary<string, byte[]> _objects = new(StringComparer.Ordinal);

    public string Description => "memory";

    public StoredObject Put(string key, byte[] content, DateTime modifiedUtc)
    {
        _objects[key] = content;
        return new StoredObject(key, content.Length, modifiedUtc);
    }

    public async IAsyncEnumerable<StoredObject> ListAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var key in _objects.Keys.Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new StoredObject(key, _objects[key].Length, default);
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    public ValueTask<int> ReadAsync(StoredObject storedObject, long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(storedObject);
        var content = _objects[storedObject.Key];
        var n = (int)Math.Clamp(content.Length - offset, 0, destination.Length);
        content.AsSpan((int)offset, n).CopyTo(destination.Span);
        return ValueTask.FromResult(n);
    }
}
