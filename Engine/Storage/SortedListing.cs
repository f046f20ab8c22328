namespace Nccid.Batch.Storage;

/// <summary>
/// Puts an unordered listing (an inventory's rows) into S3's key order with bounded memory: runs of up to
/// <c>runEntries</c> objects are sorted in memory and, when there is more than one, spilled to temporary files and
/// merged (<see cref="ExternalSorter{T}"/>). Keys listed twice are returned once, as first added.
/// </summary>
internal sealed class SortedListing : IDisposable
{
    private static readonly IComparer<StoredObject> KeyOrder = Comparer<StoredObject>.Create(static (a, b) => Utf8KeyComparer.Instance.Compare(a.Key, b.Key));
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "nccid-inventory-" + Guid.NewGuid().ToString("N"));
    private readonly ExternalSorter<StoredObject> _sorter;

    public SortedListing(int runEntries)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(runEntries, 2);
        _sorter = new ExternalSorter<StoredObject>(KeyOrder, StoredObjectCodec.Instance, _folder, runEntries);
    }

    /// <summary>Objects added so far.</summary>
    public long Count => _sorter.Count;

    /// <summary>Adds one object.</summary>
    public void Add(StoredObject stored) => _sorter.Add(stored);

    /// <summary>Every object added, in UTF-8 key order.</summary>
    public IEnumerable<StoredObject> Read()
    {
        string? previous = null;
        foreach (var stored in _sorter.Sorted())
        {
            if (previous is not null && string.Equals(previous, stored.Key, StringComparison.Ordinal)) continue;
            previous = stored.Key;
            yield return stored;
        }
    }

    public void Dispose()
    {
        _sorter.Dispose();
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private sealed class StoredObjectCodec : ISpillCodec<StoredObject>
    {
        public static StoredObjectCodec Instance { get; } = new();

        public void Write(BinaryWriter writer, StoredObject item)
        {
            writer.Write(item.Key);
            writer.Write(item.Size);
            writer.Write(item.ModifiedUtc.Ticks);
            writer.Write(item.ETag ?? string.Empty);
        }

        public StoredObject Read(BinaryReader reader) =>
            new(reader.ReadString(), reader.ReadInt64(), new DateTime(reader.ReadInt64(), DateTimeKind.Utc), ETag: reader.ReadString() is { Length: > 0 } etag ? etag : null);
    }
}
