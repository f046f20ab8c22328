using DuckDB.NET.Data;
using Xunit;

namespace Nccid.Batch.Tests.Tables;

/// <summary>Runs queries on an in-memory DuckDB, the independent reader the tables are checked with.</summary>
internal static class DuckDb
{
    public static List<object?[]> Query(string sql)
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    public static Dictionary<string, object?> QueryRow(string sql)
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read(), "The query returned no row: " + sql);
        var row = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (var i = 0; i < reader.FieldCount; i++)
        {
            row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
        }

        Assert.False(reader.Read(), "The query returned more than one row: " + sql);
        return row;
    }

    public static object? Scalar(string sql) => Query(sql).Single()[0];

    /// <summary>A glob over a table folder's part files, quoted for SQL.</summary>
    public static string Parts(string tableDirectory) => "'" + Path.Combine(tableDirectory, "*.parquet").Replace("'", "''", StringComparison.Ordinal) + "'";
}
