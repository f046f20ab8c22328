using Nccid.Batch.Pipeline;

namespace Nccid.Batch.Tables;

/// <summary>Feeds the pipeline's ordered rows into a <see cref="ParquetPartWriter{TRow}"/>.</summary>
/// <typeparam name="TRow">The row model.</typeparam>
public sealed class ParquetRowSink<TRow>(ParquetPartWriter<TRow> writer) : IRowSink<TRow>
{
    /// <inheritdoc />
    public ValueTask AddAsync(TRow row, CancellationToken cancellationToken) => writer.AddAsync(row, cancellationToken);

    /// <inheritdoc />
    public ValueTask CompleteAsync(CancellationToken cancellationToken) => writer.CompleteAsync(cancellationToken);
}
