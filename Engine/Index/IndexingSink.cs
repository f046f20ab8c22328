using Nccid.Batch.Pipeline;
using Nccid.Batch.Tables;

namespace Nccid.Batch.Index;

/// <summary>
/// Records each row's entry in the new index generation, then hands the row to the table writer. Entries are
/// grouped in chunks of the listing (<see cref="PartChunker"/>, the boundaries the release's tables use): a chunk
/// whose every entry was reused from the old generation, found there under the same fingerprint, has its segment
/// copied; any other is written, loading the reused entries' rows from the old generation.
/// </summary>
/// <typeparam name="TRow">The row type.</typeparam>
internal sealed class IndexingSink<TRow>(IRowSink<TRow> inner, ScanIndexGenerationWriter writer, IReadOnlyDictionary<string, (string Meta, string Rows)> oldSegments,
    PartChunker chunker) : IRowSink<IndexedRow<TRow>>
{
    private readonly PartChunker _chunker = chunker;
    private readonly List<IndexedRow<TRow>> _chunk = [];

    public long Unindexed { get; private set; }

    public async ValueTask AddAsync(IndexedRow<TRow> row, CancellationToken cancellationToken)
    {
        if (row.Entry is { } entry)
        {
            if (_chunker.EndsBefore(entry.Key)) await FlushAsync(cancellationToken).ConfigureAwait(false);
            _chunker.Add(entry.Key, entry.Size, entry.ModifiedTicks, entry.FromIndex);
        }
        else
        {
            Unindexed++;
        }

        _chunk.Add(row);
    }

    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        await inner.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        var (fingerprint, allReused, entries) = _chunker.Finish();
        if (entries > 0)
        {
            if (allReused && oldSegments.TryGetValue(fingerprint, out var files)) writer.Copy(fingerprint, files, entries);
            else writer.Write(fingerprint, _chunk.Where(r => r.Entry is not null).Select(r => r.Entry!));
        }

        foreach (var row in _chunk) await inner.AddAsync(row.Row, cancellationToken).ConfigureAwait(false);
        _chunk.Clear();
    }
}
