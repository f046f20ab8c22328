namespace Nccid.Batch.Tables;

/// <summary>The logical type of a table column; each maps to one Parquet type and one DuckDB type.</summary>
public enum ColumnType
{
    /// <summary>UTF-8 text (DuckDB <c>VARCHAR</c>).</summary>
    String,

    /// <summary>Signed 32-bit integer (DuckDB <c>INTEGER</c>).</summary>
    Int32,

    /// <summary>Signed 64-bit integer (DuckDB <c>BIGINT</c>).</summary>
    Int64,

    /// <summary>IEEE 754 double (DuckDB <c>DOUBLE</c>).</summary>
    Double,

    /// <summary>Calendar date without time or zone (Parquet DATE, DuckDB <c>DATE</c>).</summary>
    Date,

    /// <summary>Date and time in UTC to the microsecond (Parquet TIMESTAMP, DuckDB <c>TIMESTAMP</c>).</summary>
    Timestamp,

    /// <summary>True or false (DuckDB <c>BOOLEAN</c>).</summary>
    Boolean,

    /// <summary>List of non-null strings (DuckDB <c>VARCHAR[]</c>).</summary>
    StringList,

    /// <summary>List of non-null doubles (DuckDB <c>DOUBLE[]</c>).</summary>
    DoubleList,
}
