using Nccid.Batch.Tables;
using Xunit;

namespace Nccid.Batch.Tests.Tables;

public sealed class TableSchemaBuilderTests
{
    private static TableSchema<Sample> SampleSchema() => new TableSchemaBuilder<Sample>("samples", "Test rows.")
        .Int32("count", "Required count", s => s.Count)
        .Int32("maybe_count", "Optional count", s => s.MaybeCount)
        .String("note", "Optional note", s => s.Note)
        .RequiredString("name", "Required name", s => s.Name)
        .StringList("tags", "Tags", s => s.Tags)
        .Build();

    [Fact]
    public void Value_columns_are_nullable_exactly_when_the_getter_returns_a_nullable_type()
    {
        var schema = SampleSchema();

        Assert.Equal(
            [("count", false), ("maybe_count", true), ("note", true), ("name", false), ("tags", true)],
            schema.Columns.Select(c => (c.Name, c.Nullable)));
        Assert.Equal(
            [false, true, true, false, true],
            schema.ParquetSchema.Fields.Select(f => f.IsNullable));
    }

    [Fact]
    public void The_content_fingerprint_tells_apart_every_value_a_null_from_an_empty_value_and_nothing_else()
    {
        var schema = SampleSchema();
        Sample[] rows = [new(1, null, "a", "x", ["t"]), new(2, 3, null, "y", null)];
        var fingerprint = schema.ContentFingerprint(rows);

        // Equal rows, other objects: the same fingerprint.
        Assert.Equal(fingerprint, schema.ContentFingerprint([new(1, null, "a", "x", ["t"]), new(2, 3, null, "y", null)]));
        Sample[][] others =
        [
            [rows[0] with { Count = 9 }, rows[1]],
            [rows[0] with { MaybeCount = 0 }, rows[1]],
            [rows[0] with { Note = null }, rows[1]],
            [rows[0] with { Note = "" }, rows[1]],
            [rows[0] with { Name = "xx" }, rows[1]],
            [rows[0] with { Tags = [] }, rows[1]],
            [rows[0] with { Tags = null }, rows[1]],
            [rows[0] with { Tags = ["t", "t"] }, rows[1]],
            [rows[1], rows[0]],
            [rows[0]],
            [rows[0] with { Note = "ax" }, rows[1] with { Name = "" }],
        ];
        foreach (var other in others) Assert.NotEqual(fingerprint, schema.ContentFingerprint(other));
    }

    [Fact]
    public void Duplicate_column_names_are_refused()
    {
        var builder = new TableSchemaBuilder<Sample>("samples", "Test rows.").Int32("count", "Count", s => s.Count);

        var failure = Assert.Throws<ArgumentException>(() => builder.Int32("count", "Again", s => s.MaybeCount));

        Assert.Contains("'count'", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Table_without_columns_is_refused()
    {
        Assert.Throws<InvalidOperationException>(() => new TableSchemaBuilder<Sample>("samples", "Test rows.").Build());
    }

    [Theory]
    [InlineData(ColumnType.String, "VARCHAR")]
    [InlineData(ColumnType.Int32, "INTEGER")]
    [InlineData(ColumnType.Int64, "BIGINT")]
    [InlineData(ColumnType.Double, "DOUBLE")]
    [InlineData(ColumnType.Date, "DATE")]
    [InlineData(ColumnType.Timestamp, "TIMESTAMP")]
    [InlineData(ColumnType.Boolean, "BOOLEAN")]
    [InlineData(ColumnType.StringList, "VARCHAR[]")]
    [InlineData(ColumnType.DoubleList, "DOUBLE[]")]
    public void Column_types_have_their_DuckDB_names(ColumnType type, string duckDbName)
    {
        Assert.Equal(duckDbName, new TableColumn("c", type, true, "d").DuckDbTypeName);
    }

    private sealed record Sample(int Count, int? MaybeCount, string? Note, string Name, IReadOnlyList<string>? Tags);
}
