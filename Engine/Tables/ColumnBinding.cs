using Parquet;
using Parquet.Schema;

namespace Nccid.Batch.Tables;

/// <summary>A documented column together with its Parquet field and the code that writes it from rows.</summary>
internal abstract class ColumnBinding<TRow>
{
    protected ColumnBinding(TableColumn column, Field schemaField, DataField leaf)
    {
        Column = column;
        SchemaField = schemaField;
        Leaf = leaf;
    }

    /// <summary>The column as documented.</summary>
    public TableColumn Column { get; }

    /// <summary>The top-level field of the Parquet schema (a data field, or a list field for lists).</summary>
    public Field SchemaField { get; }

    /// <summary>The field that holds the values (the list element for lists).</summary>
    public DataField Leaf { get; }

    /// <summary>Adds this column's value of <paramref name="row"/> to <paramref name="hash"/>.</summary>
    public abstract void Hash(TRow row, RowHash hash);

    /// <summary>Writes this column of <paramref name="rows"/> as the next column chunk of the row group.</summary>
    public abstract Task WriteAsync(ParquetRowGroupWriter writer, ReadOnlyMemory<TRow> rows, CancellationToken cancellationToken);
}
