using System.Buffers;
using Parquet;
using Parquet.Schema;

namespace Nccid.Batch.Tables;

/// <summary>A non-nullable column of a primitive value type.</summary>
internal sealed class RequiredValueColumn<TRow, T>(TableColumn column, DataField field, Func<TRow, T> getter)
    : ColumnBinding<TRow>(column, field, field)
    where T : struct
{
    public override void Hash(TRow row, RowHash hash) => hash.Add(getter(row));

    public override async Task WriteAsync(ParquetRowGroupWriter writer, ReadOnlyMemory<TRow> rows, CancellationToken cancellationToken)
    {
        var values = ArrayPool<T>.Shared.Rent(rows.Length);
        try
        {
            Fill(rows.Span, values);
            var memory = new ReadOnlyMemory<T>(values, 0, rows.Length);
            await writer.WriteAsync(Leaf, memory, null, null, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(values);
        }
    }

    private void Fill(ReadOnlySpan<TRow> rows, T[] values)
    {
        for (var i = 0; i < rows.Length; i++)
        {
            values[i] = getter(rows[i]);
        }
    }
}
