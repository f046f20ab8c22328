using Nccid.Batch.Dicom;
using Nccid.Batch.Pipeline;
using Nccid.Batch.Storage;

namespace Nccid.Batch.Index;

/// <summary>
/// Walks the old index alongside the listing in one merge pass (both in listing order): an entry whose key the
/// listing skipped was deleted, a listed key the index lacks is new, and a key in both is reused when its size and
/// modification time are unchanged and nothing else requires reading it again. Decoding happens on the workers.
/// </summary>
/// <typeparam name="TRow">The row type.</typeparam>
internal sealed class IndexMerge<TRow> : IRowReuse<IndexedRow<TRow>>, IDisposable
{
    private readonly IEnumerator<ScanIndexEntry> _entries;
    private readonly IIndexCodec<TRow> _codec;
    private readonly Comparison<string> _order;
    private readonly bool _reauditDated;
    private readonly SortedDictionary<string, long> _reparsedBecause = new(StringComparer.Ordinal);
    private ScanIndexEntry? _current;
    private bool _started;
    private string? _previousKey;

    public IndexMerge(IEnumerable<ScanIndexEntry> entries, IIndexCodec<TRow> codec, Comparison<string> order, bool reauditDated)
    {
        _entries = entries.GetEnumerator();
        _codec = codec;
        _order = order;
        _reauditDated = reauditDated;
    }

    public long Reused { get; private set; }

    public long New { get; private set; }

    public long Changed { get; private set; }

    public long Deleted { get; private set; }

    public IReadOnlyDictionary<string, long> ReparsedBecause => _reparsedBecause;

    public long Reparsed => _reparsedBecause.Values.Sum();

    public ValueTask<ReusedRow<IndexedRow<TRow>>> TryReuseAsync(StoredObject stored, CancellationToken cancellationToken) => ValueTask.FromResult(TryReuse(stored));

    private ReusedRow<IndexedRow<TRow>> TryReuse(StoredObject stored)
    {
        if (!_started)
        {
            _started = true;
            Advance();
        }

        if (_previousKey is not null && _order(stored.Key, _previousKey) <= 0)
        {
            // The listing is not in the order the merge assumes; read this object rather than guess.
            Count("listed out of order");
            return ReusedRow<IndexedRow<TRow>>.None;
        }

        _previousKey = stored.Key;
        while (_current is not null && _order(_current.Key, stored.Key) < 0)
        {
            Deleted++;
            Advance();
        }

        if (_current is null || !string.Equals(_current.Key, stored.Key, StringComparison.Ordinal))
        {
            New++;
            return ReusedRow<IndexedRow<TRow>>.None;
        }

        var entry = _current;
        Advance();
        if (stored.ListingError is not null || entry.Size != stored.Size || entry.ModifiedTicks != stored.ModifiedUtc.Ticks
            || !string.Equals(entry.ETag, stored.ETag, StringComparison.Ordinal))
        {
            Changed++;
            return ReusedRow<IndexedRow<TRow>>.None;
        }

        var kind = DicomErrorKind.None;
        if (entry.ErrorKind is not null && !Enum.TryParse(entry.ErrorKind, out kind)) kind = DicomErrorKind.Internal;
        if (kind is DicomErrorKind.Unreadable or DicomErrorKind.Internal)
        {
            // Storage faults and engine failures may not happen again: such files are always retried.
            Count("earlier read failed (" + entry.ErrorKind + ")");
            return ReusedRow<IndexedRow<TRow>>.None;
        }

        if (_reauditDated && entry.DependsOnReferenceDate)
        {
            Count("finding depends on the reference date, which moved");
            return ReusedRow<IndexedRow<TRow>>.None;
        }

        Reused++;
        // Rows a decoder needs at once are loaded here, in listing order, as the rows files are read forward.
        if (_codec.DecodesRow) entry.LoadRow();
        return new ReusedRow<IndexedRow<TRow>>(true, new IndexedRow<TRow>(default!, entry), kind, entry.BytesRead, entry.Requests);
    }

    public IndexedRow<TRow> Materialize(IndexedRow<TRow> reused) => reused with { Row = _codec.Decode(reused.Entry!) };

    /// <summary>Counts the entries after the last listed key: deleted too.</summary>
    public void Finish()
    {
        if (!_started)
        {
            _started = true;
            Advance();
        }

        while (_current is not null)
        {
            Deleted++;
            Advance();
        }
    }

    private void Count(string reason) => _reparsedBecause[reason] = _reparsedBecause.GetValueOrDefault(reason) + 1;

    private void Advance() => _current = _entries.MoveNext() ? _entries.Current : null;

    public void Dispose() => _entries.Dispose();
}
