using Nccid.Batch.Dicom;
using Nccid.Batch.Pipeline;
using Nccid.Batch.Storage;
using Nccid.Batch.Tables;

namespace Nccid.Batch.Index;

/// <summary>
/// Walks the old index alongside the listing in one merge pass (both in listing order): an entry whose key the
/// listing skipped was deleted, a listed key the index lacks is new, and a key in both is reused when its size and
/// modification time are unchanged and nothing else requires reading it again. Decoding happens on the workers.
/// </summary>
/// <remarks>
/// The listing is cut into chunks as the index's segments were (<see cref="PartChunker"/>). A chunk whose fingerprint
/// (its keys, sizes and times), entity tags and count are an old segment's, and none of whose entries must be read
/// again, goes on whole, as one row: its entries are neither decoded nor compared one by one, and its segment is taken
/// over as it is. The objects of any other chunk are merged one at a time.
/// </remarks>
/// <typeparam name="TRow">The row type.</typeparam>
internal sealed class IndexMerge<TRow> : IRowReuse<IndexedRow<TRow>>, IDisposable
{
    private readonly IReadOnlyList<OldSegment> _segments;
    private readonly ScanIndexRows _rows;
    private readonly IIndexCodec<TRow> _codec;
    private readonly Comparison<string> _order;
    private readonly bool _reauditDated;
    private readonly SortedDictionary<string, long> _reparsedBecause = new(StringComparer.Ordinal);
    private readonly PartChunker? _chunker;
    private readonly Dictionary<string, OldSegment> _byFingerprint = new(StringComparer.Ordinal);
    private readonly List<StoredObject> _held = [];
    private ScanIndexChunkTally.ETagDigest _heldETags = new();
    private bool _heldListingError;
    private bool _outOfOrder;
    private string? _lastOffered;

    // The cursor over the old entries: the next segment to open, the open one, and the next entry not yet merged
    // (loaded only once asked for, so a segment taken whole after another is never opened).
    private int _nextSegment;
    private IEnumerator<ScanIndexEntry>? _open;
    private ScanIndexEntry? _current;
    private bool _loaded;
    private string? _previousKey;

    /// <summary>A merge of the listing with <paramref name="segments"/>, in order.</summary>
    /// <param name="segments">The old generation's segments.</param>
    /// <param name="rows">Loads their entries' rows.</param>
    /// <param name="codec">Decodes the entries.</param>
    /// <param name="order">The listing's order.</param>
    /// <param name="reauditDated">True when entries whose findings depend on the reference date must be read again.</param>
    /// <param name="chunker">Cuts the listing as the segments were cut; null merges every object one at a time.</param>
    public IndexMerge(IReadOnlyList<OldSegment> segments, ScanIndexRows rows, IIndexCodec<TRow> codec, Comparison<string> order, bool reauditDated, PartChunker? chunker)
    {
        _segments = segments;
        _rows = rows;
        _codec = codec;
        _order = order;
        _reauditDated = reauditDated;
        _chunker = chunker;
        foreach (var segment in segments) _byFingerprint.TryAdd(segment.Chunk.Fingerprint, segment);
    }

    public long Reused { get; private set; }

    public long New { get; private set; }

    public long Changed { get; private set; }

    public long Deleted { get; private set; }

    /// <summary>Chunks of the listing that went on whole, their segments taken over unread.</summary>
    public int ChunksWhole { get; private set; }

    public IReadOnlyDictionary<string, long> ReparsedBecause => _reparsedBecause;

    public long Reparsed => _reparsedBecause.Values.Sum();

    public void Offer(StoredObject stored, List<(StoredObject Object, ReusedRow<IndexedRow<TRow>> Reused)> ready)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (_chunker is null)
        {
            ready.Add((stored, TryReuse(stored)));
            return;
        }

        if (_lastOffered is not null && _order(stored.Key, _lastOffered) <= 0) _outOfOrder = true;
        _lastOffered = stored.Key;
        if (_chunker.EndsBefore(stored.Key)) EndChunk(ready);
        _chunker.Add(stored.Key, stored.Size, stored.ModifiedUtc.Ticks, reused: true);
        _held.Add(stored);
        _heldETags.Add(stored.ETag);
        _heldListingError |= stored.ListingError is not null;
    }

    public void Flush(List<(StoredObject Object, ReusedRow<IndexedRow<TRow>> Reused)> ready)
    {
        if (_chunker is not null) EndChunk(ready);
    }

    /// <summary>Hands on the held chunk: whole when an old segment holds exactly it, else object by object.</summary>
    private void EndChunk(List<(StoredObject Object, ReusedRow<IndexedRow<TRow>> Reused)> ready)
    {
        var (fingerprint, _, rows) = _chunker!.Finish();
        var etags = _heldETags.Value;
        _heldETags = new ScanIndexChunkTally.ETagDigest();
        if (rows == 0) return;
        if (!_outOfOrder && !_heldListingError && _byFingerprint.TryGetValue(fingerprint, out var old) && old.Chunk.Entries == rows && old.Chunk.Tally is { } tally
            && tally.Retried == 0 && !(_reauditDated && tally.Dated > 0) && string.Equals(tally.ETags, etags, StringComparison.Ordinal) && SkipTo(old.Index))
        {
            ChunksWhole++;
            Reused += rows;
            var errors = new Dictionary<DicomErrorKind, long>();
            foreach (var (name, n) in tally.Errors) errors[Enum.TryParse<DicomErrorKind>(name, out var kind) ? kind : DicomErrorKind.Internal] = n;
            var chunk = new ReusedChunk<TRow>(old, _held[0].Key, rows, () => ReadChunk(old));
            var run = new ReusedRun(rows, tally.BytesStored, tally.BytesRead, tally.Requests, errors);
            ready.Add((_held[0], new ReusedRow<IndexedRow<TRow>>(true, new IndexedRow<TRow>(default!, null) { Chunk = chunk }, DicomErrorKind.None) { Run = run }));
        }
        else
        {
            foreach (var stored in _held) ready.Add((stored, TryReuse(stored)));
        }

        _held.Clear();
        _heldListingError = false;
    }

    /// <summary>A whole chunk's rows, decoded from its old segment, for a sink that cannot take the chunk as it is.</summary>
    private IEnumerable<TRow> ReadChunk(OldSegment segment)
    {
        // Rows loaded at once are read on their own, so as not to move the merge's reader to and fro between segments.
        using var own = _codec.DecodesRow ? new ScanIndexRows(_segments.Select(s => s.Rows).ToArray()) : null;
        foreach (var entry in ScanIndexSegment.ReadMeta(segment.Meta, own ?? _rows, segment.Index))
        {
            if (_codec.DecodesRow) entry.LoadRow();
            yield return _codec.Decode(entry);
        }
    }

    private ReusedRow<IndexedRow<TRow>> TryReuse(StoredObject stored)
    {
        if (!_loaded) Advance();
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
        if (entry.ErrorKind is not null && ScanIndexChunkTally.AlwaysRetried(entry.ErrorKind))
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

    public IndexedRow<TRow> Materialize(IndexedRow<TRow> reused) => reused.Chunk is not null ? reused : reused with { Row = _codec.Decode(reused.Entry!) };

    /// <summary>Counts the entries after the last listed key: deleted too.</summary>
    public void Finish() => Deleted += NotMergedBefore(_segments.Count);

    /// <summary>
    /// Moves the cursor past segment <paramref name="index"/>, taken whole, counting the entries it passes as deleted;
    /// false, moving nothing, when some of that segment's entries were already merged.
    /// </summary>
    private bool SkipTo(int index)
    {
        var (segment, ordinal) = Position();
        if (segment > index || (segment == index && ordinal > 0)) return false;
        Deleted += NotMergedBefore(index);
        _open?.Dispose();
        _open = null;
        _current = null;
        _nextSegment = index + 1;
        _loaded = false;
        return true;
    }

    /// <summary>Entries not merged yet in the segments before <paramref name="index"/>.</summary>
    private long NotMergedBefore(int index)
    {
        var (segment, ordinal) = Position();
        long n = 0;
        for (var s = segment; s < index; s++) n += _segments[s].Chunk.Entries - (s == segment ? ordinal : 0);
        return n;
    }

    /// <summary>The segment and ordinal of the next entry not merged yet (the end: the segment count).</summary>
    private (int Segment, long Ordinal) Position()
    {
        if (!_loaded) return (_nextSegment, 0);
        return _current is null ? (_segments.Count, 0) : (_current.Segment, _current.Ordinal);
    }

    private void Count(string reason) => _reparsedBecause[reason] = _reparsedBecause.GetValueOrDefault(reason) + 1;

    private void Advance()
    {
        _loaded = true;
        while (true)
        {
            if (_open is not null && _open.MoveNext())
            {
                _current = _open.Current;
                return;
            }

            _open?.Dispose();
            _open = null;
            if (_nextSegment >= _segments.Count)
            {
                _current = null;
                return;
            }

            var segment = _segments[_nextSegment++];
            _open = ScanIndexSegment.ReadMeta(segment.Meta, _rows, segment.Index).GetEnumerator();
        }
    }

    public void Dispose() => _open?.Dispose();
}

/// <summary>
/// A chunk of the listing taken whole from the index (every object in it unchanged): its old segment is taken over as
/// it is, and its rows are decoded only for a sink that asks for them.
/// </summary>
/// <typeparam name="TRow">The row type.</typeparam>
internal sealed class ReusedChunk<TRow>(OldSegment segment, string firstKey, int rows, Func<IEnumerable<TRow>> read)
{
    /// <summary>Its old segment.</summary>
    public OldSegment Segment { get; } = segment;

    /// <summary>Its fingerprint (see <see cref="PartChunker"/>).</summary>
    public string Fingerprint => Segment.Chunk.Fingerprint;

    /// <summary>Its first key.</summary>
    public string FirstKey { get; } = firstKey;

    /// <summary>Its rows' number.</summary>
    public int Rows { get; } = rows;

    /// <summary>Its rows, in listing order, decoded from the old segment (each call reads it again).</summary>
    public IEnumerable<TRow> Read() => read();
}

/// <summary>A sink that can take a chunk of unchanged rows whole (<see cref="ReusedChunk{TRow}"/>) rather than row by row.</summary>
/// <typeparam name="TRow">The row type.</typeparam>
internal interface IChunkSink<TRow>
{
    /// <summary>Accepts the next rows, a whole chunk that starts where the last row's chunk ended.</summary>
    ValueTask AddChunkAsync(ReusedChunk<TRow> chunk, CancellationToken cancellationToken);
}
