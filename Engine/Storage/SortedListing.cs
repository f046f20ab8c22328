namespace Nccid.Batch.Storage;

/// <summary>
/// Puts an unordered listing (an inventory's rows) into S3's key order with bounded memory: runs of up to
/// <c>runEntries</c> objects are sorted in memory and, when there is more than one, spilled to temporary files and
/// merged. Keys listed twice are returned once.
/// </summary>
internal sealed class SortedListing : IDisposable
{
    private readonly int _runEntries;
    private readonly List<StoredObject> _current = [];
    private readonly List<string> _runs = [];
    private string? _folder;

    public SortedListing(int runEntries)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(runEntries, 2);
        _runEntries = runEntries;
    }

    /// <summary>Objects added so far.</summary>
    public long Count { get; private set; }

    /// <summary>Adds one object.</summary>
    public void Add(StoredObject stored)
    {
        _current.Add(stored);
        Count++;
        if (_current.Count >= _runEntries) Spill();
    }

    /// <summary>Every object added, in UTF-8 key order.</summary>
    public IEnumerable<StoredObject> Read()
    {
        _current.Sort(static (a, b) => Utf8KeyComparer.Instance.Compare(a.Key, b.Key));
        return Distinct(_runs.Count == 0 ? _current : Merge());
    }

    private static IEnumerable<StoredObject> Distinct(IEnumerable<StoredObject> ordered)
    {
        string? previous = null;
        foreach (var stored in ordered)
        {
            if (previous is not null && string.Equals(previous, stored.Key, StringComparison.Ordinal)) continue;
            previous = stored.Key;
            yield return stored;
        }
    }

    private void Spill()
    {
        _current.Sort(static (a, b) => Utf8KeyComparer.Instance.Compare(a.Key, b.Key));
        _folder ??= Directory.CreateTempSubdirectory("nccid-inventory-").FullName;
        var path = Path.Combine(_folder, _runs.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".run");
        using (var writer = new BinaryWriter(new BufferedStream(File.Create(path), 1 << 16)))
        {
            foreach (var o in _current)
            {
                writer.Write(o.Key);
                writer.Write(o.Size);
                writer.Write(o.ModifiedUtc.Ticks);
            }
        }

        _runs.Add(path);
        _current.Clear();
    }

    private IEnumerable<StoredObject> Merge()
    {
        if (_current.Count > 0) Spill();
        var readers = _runs.Select(r => new BinaryReader(new BufferedStream(File.OpenRead(r), 1 << 16))).ToArray();
        try
        {
            var heads = new PriorityQueue<int, StoredObject>(readers.Length, Comparer<StoredObject>.Create(static (a, b) => Utf8KeyComparer.Instance.Compare(a.Key, b.Key)));
            for (var i = 0; i < readers.Length; i++)
            {
                if (Next(readers[i]) is { } first) heads.Enqueue(i, first);
            }

            while (heads.TryDequeue(out var run, out var stored))
            {
                yield return stored;
                if (Next(readers[run]) is { } next) heads.Enqueue(run, next);
            }
        }
        finally
        {
            foreach (var reader in readers) reader.Dispose();
        }
    }

    private static StoredObject? Next(BinaryReader reader)
    {
        if (reader.BaseStream.Position >= reader.BaseStream.Length) return null;
        var key = reader.ReadString();
        var size = reader.ReadInt64();
        var ticks = reader.ReadInt64();
        return new StoredObject(key, size, new DateTime(ticks, DateTimeKind.Utc));
    }

    public void Dispose()
    {
        _current.Clear();
        if (_folder is not null && Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
        _folder = null;
    }
}
