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
internal sealed class ScanIndexRows(IReadOnlyList<string> rowsFiles, bool interleaved = false, int bufferBytes = 0) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly ScanIndexSegment.RowsReader?[] _readers = new ScanIndexSegment.RowsReader?[interleaved ? rowsFiles.Count : 1];
    private int _segment = -1;
    private bool _disposed;

    /// <summary>Rows loaded so far.</summary>
    public long Loaded { get; private set; }

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
                reader?.Dispose();
                _readers[slot] = reader = bufferBytes > 0 ? new ScanIndexSegment.RowsReader(rowsFiles[segment], bufferBytes) : new ScanIndexSegment.RowsReader(rowsFiles[segment]);
                _segment = segment;
            }

            while (reader.Position < ordinal) reader.Next();
            Loaded++;
            return reader.Next();
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            for (var i = 0; i < _readers.Length; i++)
            {
                _readers[i]?.Dispose();
                _readers[i] = null;
            }
        }
    }
}
