using System.Globalization;
using System.Reflection;
using Nccid.Batch.Tables;
using Xunit;

namespace Nccid.Batch.Tests.Tables;

public sealed class ParquetPartWriterTests(WrittenInstancesFixture written) : IClassFixture<WrittenInstancesFixture>
{
    private string Parts => DuckDb.Parts(written.TableDirectory);

    [Fact]
    public void DuckDB_counts_every_row_written()
    {
        Assert.Equal(WrittenInstancesFixture.RowCount, written.WriterRowCount);
        Assert.Equal((long)WrittenInstancesFixture.RowCount, DuckDb.Scalar($"SELECT count(*) FROM read_parquet({Parts})"));
    }

    [Fact]
    public void Rows_are_split_into_row_groups_and_one_part_per_row_group_in_order()
    {
        var expectedParts = new[] { "part-00000.parquet", "part-00001.parquet", "part-00002.parquet" };
        Assert.Equal(expectedParts, written.WrittenParts.Select(Path.GetFileName));
        Assert.Equal(
            expectedParts.Select(name => Path.Combine(written.TableDirectory, name)),
            written.WrittenParts);

        var groups = DuckDb.Query(
            $"SELECT DISTINCT parse_filename(file_name), row_group_id, row_group_num_rows FROM parquet_metadata({Parts}) ORDER BY 1, 2");
        Assert.Equal(
            [["part-00000.parquet", 0L, 100_000L], ["part-00001.parquet", 0L, 100_000L], ["part-00002.parquet", 0L, 50_000L]],
            groups);
    }

    [Fact]
    public void A_part_is_published_as_soon_as_its_row_group_is_full()
    {
        Assert.Equal(1, written.PartsCompletedAfterFirstRowGroup);
    }

    [Fact]
    public void Rows_keep_the_order_they_were_added_in()
    {
        var paths = DuckDb.Query(
            $"SELECT path FROM read_parquet({Parts}, filename = true, file_row_number = true) ORDER BY filename, file_row_number");
        Assert.Equal(WrittenInstancesFixture.RowCount, paths.Count);
        for (var i = 0; i < paths.Count; i++)
        {
            if (!string.Equals(InstanceRows.PathOf(i), (string?)paths[i][0], StringComparison.Ordinal))
            {
                Assert.Fail($"Row {i} is '{paths[i][0]}', expected '{InstanceRows.PathOf(i)}'.");
            }
        }
    }

    [Fact]
    public void No_temporary_or_other_files_remain_in_the_table_folder()
    {
        var files = Directory.EnumerateFileSystemEntries(written.TableDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(["part-00000.parquet", "part-00001.parquet", "part-00002.parquet"], files);
    }

    [Fact]
    public void DuckDB_sees_the_documented_types()
    {
        var types = DuckDb.QueryRow(
            "SELECT typeof(StudyDate) AS d, typeof(modified_utc) AS ts, typeof(SeriesNumber) AS i, typeof(size_bytes) AS l, " +
            "typeof(KVP) AS f, typeof(PixelSpacing) AS fl, typeof(ImageType) AS sl, typeof(pixel_data_encapsulated) AS b, " +
            $"typeof(path) AS s FROM read_parquet({Parts}) LIMIT 1");
        Assert.Equal("DATE", types["d"]);
        Assert.Equal("TIMESTAMP", types["ts"]);
        Assert.Equal("INTEGER", types["i"]);
        Assert.Equal("BIGINT", types["l"]);
        Assert.Equal("DOUBLE", types["f"]);
        Assert.Equal("DOUBLE[]", types["fl"]);
        Assert.Equal("VARCHAR[]", types["sl"]);
        Assert.Equal("BOOLEAN", types["b"]);
        Assert.Equal("VARCHAR", types["s"]);
    }

    [Fact]
    public void Every_column_has_its_documented_name_type_and_nullability_in_order()
    {
        var described = DuckDb.Query($"DESCRIBE SELECT * FROM read_parquet({Parts})");
        Assert.Equal(
            InstancesTable.Schema.Columns.Select(c => $"{c.Name} {c.DuckDbTypeName}"),
            described.Select(row => $"{row[0]} {row[1]}"));

        var repetition = DuckDb.Query(
            $"SELECT name, repetition_type FROM parquet_schema('{written.WrittenParts[0]}') WHERE name NOT IN ('list', 'element')")
            .ToDictionary(row => (string)row[0]!, row => (string?)row[1], StringComparer.Ordinal);
        foreach (var column in InstancesTable.Schema.Columns)
        {
            Assert.Equal(column.Nullable ? "OPTIONAL" : "REQUIRED", repetition[column.Name]);
        }
    }

    [Fact]
    public void Every_column_chunk_is_Zstd_compressed()
    {
        var codecs = DuckDb.Query($"SELECT DISTINCT compression FROM parquet_metadata({Parts})");
        Assert.Equal([["ZSTD"]], codecs);
    }

    [Fact]
    public void Repetitive_strings_are_dictionary_encoded_and_unique_ones_are_not()
    {
        var encodings = DuckDb.Query(
            $"SELECT path_in_schema, encodings FROM parquet_metadata({Parts}) WHERE parse_filename(file_name) = 'part-00000.parquet'")
            .ToDictionary(row => (string)row[0]!, row => (string)row[1]!, StringComparer.Ordinal);
        Assert.Contains("DICTIONARY", encodings["Modality"], StringComparison.Ordinal);
        Assert.Contains("DICTIONARY", encodings["ImageType, list, element"], StringComparison.Ordinal);
        Assert.DoesNotContain("DICTIONARY", encodings["SOPInstanceUID"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Paths_SOP_Instance_UIDs_and_headers_are_never_dictionary_encoded_even_when_they_repeat()
    {
        // Ten files, each listed a hundred times: paths, UIDs and headers repeat like the study UIDs, which do become a dictionary.
        using var temp = new TempDirectory();
        var table = Path.Combine(temp.Path, InstancesTable.Name);
        await using (var writer = new ParquetPartWriter<InstanceRow>(table, InstancesTable.Schema, new ParquetPartOptions()))
        {
            for (var i = 0; i < 1_000; i++)
            {
                var row = InstanceRows.Create(i);
                var file = i % 10;
                row.Path = string.Create(CultureInfo.InvariantCulture, $"copies/{file}.dcm");
                row.SOPInstanceUID = string.Create(CultureInfo.InvariantCulture, $"1.2.3.{file}");
                row.HeaderJson = string.Create(CultureInfo.InvariantCulture, $"{{\"00080018\":{{\"vr\":\"UI\",\"Value\":[\"1.2.3.{file}\"]}}}}");
                await writer.AddAsync(row, CancellationToken.None);
            }

            await writer.CompleteAsync(CancellationToken.None);
        }

        var encodings = DuckDb.Query($"SELECT path_in_schema, encodings FROM parquet_metadata({DuckDb.Parts(table)})")
            .ToDictionary(row => (string)row[0]!, row => (string)row[1]!, StringComparer.Ordinal);
        Assert.DoesNotContain("DICTIONARY", encodings["SOPInstanceUID"], StringComparison.Ordinal);
        Assert.DoesNotContain("DICTIONARY", encodings["header_json"], StringComparison.Ordinal);
        Assert.DoesNotContain("DICTIONARY", encodings["path"], StringComparison.Ordinal);
        Assert.Contains("DICTIONARY", encodings["StudyInstanceUID"], StringComparison.Ordinal);
        Assert.Equal(1_000L, DuckDb.Scalar($"SELECT count(*) FROM read_parquet({DuckDb.Parts(table)}) WHERE header_json LIKE '%1.2.3.%'"));
    }

    [Fact]
    public void Only_string_columns_of_the_table_can_be_left_out_of_dictionary_encoding()
    {
        var schema = new TableSchemaBuilder<InstanceRow>("t", "test").String("a", "a", r => r.Path).Int64("b", "b", r => r.SizeBytes).Build();
        Assert.Throws<ArgumentException>(() => schema.WithoutDictionary("b"));
        Assert.Throws<ArgumentException>(() => schema.WithoutDictionary("missing"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(9)]
    [InlineData(10)]
    [InlineData(11)]
    [InlineData(99_999)]
    [InlineData(100_000)]
    [InlineData(123_457)]
    [InlineData(249_999)]
    public void A_row_reads_back_exactly_as_written(int index)
    {
        var expected = InstanceRows.Create(index);
        var actual = DuckDb.QueryRow($"SELECT * FROM read_parquet({Parts}) WHERE path = '{expected.Path}'");
        foreach (var column in InstancesTable.Schema.Columns)
        {
            var expectedValue = PropertyFor(column.Name).GetValue(expected);
            AssertSameValue(column, expectedValue, actual[column.Name]);
        }
    }

    [Fact]
    public void Generated_rows_cover_nulls_empty_lists_unicode_and_errors()
    {
        // Guards A_row_reads_back_exactly_as_written against losing its interesting cases.
        Assert.Equal(InstanceRow.StatusError, InstanceRows.Create(0).Status);
        Assert.Empty(InstanceRows.Create(1).ImageType!);
        Assert.Null(InstanceRows.Create(2).ImageType);
        Assert.Null(InstanceRows.Create(1).PixelSpacing);
        Assert.StartsWith("患者", InstanceRows.Create(1).PatientID, StringComparison.Ordinal);
        Assert.Equal(string.Empty, InstanceRows.Create(11).StudyDescription);
        Assert.Equal(new DateOnly(1900, 1, 1), InstanceRows.Create(11).AcquisitionDate);
        Assert.Empty(InstanceRows.Create(2).ImagerPixelSpacing!);
    }

    private static PropertyInfo PropertyFor(string column)
    {
        // snake_case columns map to PascalCase properties; DICOM keywords are the property names.
        var name = string.Concat(column.Split('_').Select(part => char.ToUpperInvariant(part[0]) + part[1..]));
        return typeof(InstanceRow).GetProperty(name) ?? throw new InvalidOperationException($"No property for column '{column}'.");
    }

    private static void AssertSameValue(TableColumn column, object? expected, object? actual)
    {
        var context = $"column {column.Name}: expected {Show(expected)}, read {Show(actual)}";
        if (expected is null)
        {
            Assert.True(actual is null, context);
            return;
        }

        Assert.True(actual is not null, context);
        switch (column.Type)
        {
            case ColumnType.Timestamp:
                Assert.True(((DateTime)expected).Ticks == ((DateTime)actual).Ticks, context);
                break;
            case ColumnType.StringList:
                Assert.True(((IEnumerable<string>)expected).SequenceEqual((IEnumerable<string>)actual, StringComparer.Ordinal), context);
                break;
            case ColumnType.DoubleList:
                Assert.True(((IEnumerable<double>)expected).SequenceEqual((IEnumerable<double>)actual), context);
                break;
            default:
                Assert.True(expected.Equals(actual), context);
                break;
        }
    }

    private static string Show(object? value) => value switch
    {
        null => "null",
        string s => $"'{s}'",
        System.Collections.IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(Show)) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
