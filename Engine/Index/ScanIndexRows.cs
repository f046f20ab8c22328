namespace Nccid.Batch.Index;

/// <summary>
/// Loads the rows of a verified generation's entries on demand, segment by segment: the rows file of a segment is
/// read forward from where the last load stopped (entries are asked for in listing order), and opened again only
/// when an earlier entry is asked for.
/// </summary>
/// <param name="rowsFiles">The rows file of each segment.</param>
/// <param name="interleaved">
/// Keeps a reader open on every file: for segments whose entries are asked for interleaved, as the parts of a
/// cluster's shards are when merged back into listing order. Otherwise one reader is open at a time.
/// </param>
/// <param name="bufferBytes">The readers' buffer size (0: the segment reader's default).</param>
/// <param name="maxOpen">
/// With <paramref name="interleaved"/>, the most readers open at once (0: no limit): opening one more closes the one
/// used longest ago, which is opened again, and read forward from its start, only if it is asked for again.
/// </param>
internal sealed class ScanIndexRows(IReadOnlyList<string> rowsFiles, bool interleaved = false, int bufferBytes = 0, int maxOpen = 0) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly ScanIndexSegment.RowsReader?[] _readers = new ScanIndexSegment.RowsReader?[interleaved ? rowsFiles.Count : 1];
    private readonly long[] _lastUse = new long[interleaved ? rowsFiles.Count : 1];
    private readonly long[] _lastOrdinal = interleaved ? Enumerable.Repeat(long.MaxValue, rowsFiles.Count).ToArray() : [long.MaxValue];
    private int _segment = -1;
    private int _open;
    private bool _disposed;

    /// <summary>Rows loaded so far.</summary>
    public long Loaded { get; private set; }

    /// <summary>The most readers that were open at once.</summary>
    public int MostOpen { get; private set; }

    /// <summary>The row and text of entry <paramref name="ordinal"/> of segment <paramref name="segment"/>.</summary>
    public (byte[] Row, string? Text) Load(int segment, long ordinal)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var slot = interleaved ? segment : 0;
            var reader = _readers[slot];
            if (reader is null || (!interleaved && _segment != segment) || reader.Position > ordinal)
            {
                if (reader is not null) Close(slot);
                else if (maxOpen > 0 && _open >= maxOpen) Close(LeastRecentlyUsed());
                _readers[slot] = reader = bufferBytes > 0 ? new ScanIndexSegment.RowsReader(rowsFiles[segment], bufferBytes) : new ScanIndexSegment.RowsReader(rowsFiles[segment]);
                _segment = segment;
                MostOpen = Math.Max(MostOpen, ++_open);
            }

            while (reader.Position < ordinal) reader.Next();
            Loaded++;
            _lastUse[slot] = Loaded;
            var loaded = reader.Next();
            if (interleaved && ordinal >= _lastOrdinal[slot]) Close(slot);
            return loaded;
        }
    }

    /// <summary>
    /// Says that <paramref name="lastOrdinal"/> is the last entry of segment <paramref name="segment"/> that will be asked
    /// for: with <c>interleaved</c>, its reader is closed once that row is loaded (at once when it already was).
    /// </summary>
    public void EndsAt(int segment, long lastOrdinal)
    {
        lock (_lock)
        {
            if (!interleaved) return;
            _lastOrdinal[segment] = lastOrdinal;
            if (_readers[segment] is { } reader && reader.Position > lastOrdinal) Close(segment);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            for (var i = 0; i < _readers.Length; i++) Close(i);
        }
    }

    private void Close(int slot)
    {
        if (_readers[slot] is not { } reader) return;
        reader.Dispose();
        _readers[slot] = null;
        _open--;
    }

    private int LeastRecentlyUsed()
    {
        var oldest = -1;
        for (var i = 0; i < _readers.Length; i++)
        {
            if (_readers[i] is not null && (oldest < 0 || _lastUse[i] < _lastUse[oldest])) oldest = i;
        }

        return oldest;
    }
}
