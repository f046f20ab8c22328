namespace Nccid.Batch.Index;

/// <summary>
/// Loads the rows of a verified generation's entries on demand, segment by segment: the rows file of a segment is
/// read forward from where the last load stopped (entries are asked for in listing order), and opened again only
/// when an earlier entry is asked for.
/// </summary>
internal sealed class ScanIndexRows(IReadOnlyList<string> rowsFiles) : IDisposable
{
    private readonly Lock _lock = new();
    private ScanIndexSegment.RowsReader? _reader;
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
            if (_reader is null || _segment != segment || _reader.Position > ordinal)
            {
                _reader?.Dispose();
                _reader = new ScanIndexSegment.RowsReader(rowsFiles[segment]);
                _segment = segment;
            }

            while (_reader.Position < ordinal) _reader.Next();
            Loaded++;
            return _reader.Next();
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _reader?.Dispose();
            _reader = null;
        }
    }
}
