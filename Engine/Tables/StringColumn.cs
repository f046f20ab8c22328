using System.Buffers;
using Parquet;
using Parquet.Schema;

namespace Nccid.Batch.Tables;

/// <summary>A string column; when it is not nullable, a null value is a bug in the row's producer.</summary>
internal sealed class StringColumn<TRow>(TableColumn column, DataField field, Func<TRow, string?> getter)
    : ColumnBinding<TRow>(column, field, field)
{
    public override async Task WriteAsync(ParquetRowGroupWriter writer, ReadOnlyMemory<TRow> rows, CancellationToken cancellationToken)
    {
        var values = ArrayPool<ReadOnlyMemory<char>?>.Shared.Rent(rows.Length);
        try
        {
            Fill(rows.Span, values);
            var memory = new ReadOnlyMemory<ReadOnlyMemory<char>?>(values, 0, rows.Length);
            await writer.WriteAsync(Leaf, memory, null, null, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Cleared so the pool does not keep the row group's strings alive.
            ArrayPool<ReadOnlyMemory<char>?>.Shared.Return(values, clearArray: true);
        }
    }

    private void Fill(ReadOnlySpan<TRow> rows, ReadOnlyMemory<char>?[] values)
    {
        var nullable = Column.Nullable;
        for (var i = 0; i < rows.Length; i++)
        {
            var value = getter(rows[i]);
            if (value is null)
            {
                if (!nullable)
                {
                    throw new InvalidOperationException($"Column '{Column.Name}' is not nullable but a row has no value for it.");
                }

                values[i] = null;
            }
            else
            {
                values[i] = value.AsMemory();
            }
        }
    }
}
