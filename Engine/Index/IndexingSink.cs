using Nccid.Batch.Pipeline;
using Nccid.Batch.Tables;

namespace Nccid.Batch.Index;

/// <summary>
/// Records each row's entry in the new index generation, then hands the row to the table writer at once. Entries are
/// grouped in chunks of the listing (<see cref="PartChunker"/>, the boundaries the release's tables use): a chunk
/// whose every entry was reused from the old generation, found there under the same fingerprint, has its segment
/// copied; any other is written. While every entry of a chunk so far was reused, the entries wait (their rows stay in
/// the old generation, unloaded); the first entry made by this run starts the chunk's segment, which then takes every
/// entry as it comes, so memory never holds a chunk of freshly read rows.
/// </summary>
/// <typeparam name="TRow">The row type.</typeparam>
/// <remarks>
/// A chunk taken whole (<see cref="ReusedChunk{TRow}"/>) has its segment taken over and goes on whole to a sink that can
/// take it so (<see cref="IChunkSink{TRow}"/>); any other sink receives its rows one by one.
/// </remarks>
internal sealed class IndexingSink<TRow>(IRowSink<TRow> inner, ScanIndexGenerationWriter writer, IReadOnlyDictionary<string, OldSegment> oldSegments,
    PartChunker chunker) : IRowSink<IndexedRow<TRow>>
{
    private readonly PartChunker _chunker = chunker;
    private readonly List<ScanIndexEntry> _reused = [];

    public long Unindexed { get; private set; }

    public async ValueTask AddAsync(IndexedRow<TRow> row, CancellationToken cancellationToken)
    {
        if (row.Chunk is { } chunk)
        {
            // The lister cut it where this sink's chunker would: whatever is open ends here.
            if (_chunker.Rows > 0) EndChunk();
            writer.Copy(chunk.Segment);
            if (inner is IChunkSink<TRow> chunks)
            {
                await chunks.AddChunkAsync(chunk, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                foreach (var reused in chunk.Read()) await inner.AddAsync(reused, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        if (row.Entry is { } entry)
        {
            if (_chunker.EndsBefore(entry.Key)) EndChunk();
            _chunker.Add(entry.Key, entry.Size, entry.ModifiedTicks, entry.FromIndex);
            if (writer.IsOpen)
            {
                writer.Add(entry);
            }
            else if (entry.FromIndex)
            {
                _reused.Add(entry);
            }
            else
            {
                writer.Begin();
                WriteReused();
                writer.Add(entry);
            }
        }
        else
        {
            Unindexed++;
            if (row.Listed is { } listed)
            {
                // Counted in its chunk as the tables count it, so both cut the listing at the same places; the chunk is written.
                if (_chunker.EndsBefore(listed.Key)) EndChunk();
                _chunker.Add(listed.Key, listed.Size, listed.ModifiedUtc.Ticks, reused: false);
            }
        }

        await inner.AddAsync(row.Row, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        EndChunk();
        await inner.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private void EndChunk()
    {
        var (fingerprint, allReused, entries) = _chunker.Finish();
        if (writer.IsOpen)
        {
            writer.End(fingerprint);
        }
        else if (entries > 0)
        {
            if (allReused && oldSegments.TryGetValue(fingerprint, out var old) && old.Chunk.Entries == entries)
            {
                writer.Copy(old);
            }
            else
            {
                writer.Begin();
                WriteReused();
                writer.End(fingerprint);
            }
        }

        _reused.Clear();
    }

    private void WriteReused()
    {
        foreach (var entry in _reused) writer.Add(entry);
        _reused.Clear();
    }
}
