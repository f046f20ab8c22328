namespace Nccid.Batch.Tables;

/// <summary>One column of a table schema, as documented and as written to Parquet.</summary>
/// <param name="Name">Column name in the Parquet file (snake_case, or the DICOM keyword for DICOM attributes).</param>
/// <param name="Type">Logical type.</param>
/// <param name="Nullable">True when the column may hold nulls.</param>
/// <param name="Description">One line for the documentation; DICOM columns start with their tag.</param>
public sealed record TableColumn(string Name, ColumnType Type, bool Nullable, string Description)
{
    /// <summary>The DuckDB type a reader sees for this column, e.g. <c>VARCHAR[]</c>.</summary>
    public string DuckDbTypeName => Type switch
    {
        ColumnType.String => "VARCHAR",
        ColumnType.Int32 => "INTEGER",
        ColumnType.Int64 => "BIGINT",
        ColumnType.Double => "DOUBLE",
        ColumnType.Date => "DATE",
        ColumnType.Timestamp => "TIMESTAMP",
        ColumnType.Boolean => "BOOLEAN",
        ColumnType.StringList => "VARCHAR[]",
        ColumnType.DoubleList => "DOUBLE[]",
        _ => throw new InvalidOperationException($"Unknown column type {Type}."),
    };
}
