using Nccid.Batch.Pipeline;

namespace Nccid.Batch.Index;

/// <summary>Records each row's entry in the new index generation, then hands the row to the table writer.</summary>
/// <typeparam name="TRow">The row type.</typeparam>
internal sealed class IndexingSink<TRow>(IRowSink<TRow> inner, ScanIndexSegment.Writer entries) : IRowSink<IndexedRow<TRow>>
{
    public long Unindexed { get; private set; }

    public async ValueTask AddAsync(IndexedRow<TRow> row, CancellationToken cancellationToken)
    {
        if (row.Entry is { } entry) entries.Add(entry);
        else Unindexed++;
        await inner.AddAsync(row.Row, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask CompleteAsync(CancellationToken cancellationToken) => inner.CompleteAsync(cancellationToken);
}
