using System.Buffers;
using Parquet;
using Parquet.Schema;

namespace Nccid.Batch.Tables;

/// <summary>A string column; when it is not nullable, a null value is a bug in the row's producer.</summary>
/// <remarks>
/// The values are handed to Parquet.Net already packed (nulls left out, described by definition levels) in arrays
/// this column rents and clears. Given nullable values, Parquet.Net packs them into a pooled array of its own and
/// returns it uncleared, so the pool kept the strings of the last row groups (header_json: megabytes each) alive
/// long after their rows were written.
/// </remarks>
internal sealed class StringColumn<TRow>(TableColumn column, DataField field, Func<TRow, string?> getter)
    : ColumnBinding<TRow>(column, field, field)
{
    private const int Null = 0;
    private const int Present = 1;

    public override void Hash(TRow row, RowHash hash) => hash.Add(getter(row));

    public override async Task WriteAsync(ParquetRowGroupWriter writer, ReadOnlyMemory<TRow> rows, CancellationToken cancellationToken)
    {
        var values = ArrayPool<ReadOnlyMemory<char>>.Shared.Rent(rows.Length);
        var definitions = Column.Nullable ? ArrayPool<int>.Shared.Rent(rows.Length) : null;
        try
        {
            var count = Fill(rows.Span, values, definitions);
            // Not a conditional expression: its null would convert to an empty ReadOnlyMemory, which Parquet.Net takes for zero rows.
            ReadOnlyMemory<int>? levels = null;
            if (definitions is not null) levels = new ReadOnlyMemory<int>(definitions, 0, rows.Length);
            await writer.WriteAllPartsAsync<ReadOnlyMemory<char>>(
                Leaf, new ReadOnlyMemory<ReadOnlyMemory<char>>(values, 0, count), levels, null, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Cleared so the pool does not keep the row group's strings alive.
            ArrayPool<ReadOnlyMemory<char>>.Shared.Return(values, clearArray: true);
            if (definitions is not null) ArrayPool<int>.Shared.Return(definitions);
        }
    }

    private int Fill(ReadOnlySpan<TRow> rows, ReadOnlyMemory<char>[] values, int[]? definitions)
    {
        var count = 0;
        for (var i = 0; i < rows.Length; i++)
        {
            var value = getter(rows[i]);
            if (value is null)
            {
                if (definitions is null)
                {
                    throw new InvalidOperationException($"Column '{Column.Name}' is not nullable but a row has no value for it.");
                }

                definitions[i] = Null;
            }
            else
            {
                values[count++] = value.AsMemory();
                if (definitions is not null) definitions[i] = Present;
            }
        }

        return count;
    }
}
