using System.Globalization;
using Nccid.Batch.Tables;
using Xunit;

namespace Nccid.Batch.Tests.Tables;

public sealed class ParquetPartWriterLifecycleTests : IDisposable
{
    private readonly TempDirectory _root = new();

    private string TableDirectory => Path.Combine(_root.Path, InstancesTable.Name);

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task Writer_disposed_without_complete_leaves_no_part_and_no_temporary_file()
    {
        var writer = Create(new ParquetPartOptions { RowGroupSize = 10, RowGroupsPerPart = 2, MaxPartsInFlight = 0 });
        await AddRowsAsync(writer, 0, 30);
        // Rows 0-19 fill part 0; rows 20-29 are one row group of part 1, still under its temporary name.
        Assert.Equal([".part-00001.parquet.tmp", "part-00000.parquet"], FileNames());

        await writer.DisposeAsync();

        Assert.Empty(FileNames());
    }

    [Fact]
    public async Task Rows_short_of_a_row_group_stay_in_memory_until_complete()
    {
        await using var writer = Create(new ParquetPartOptions { RowGroupSize = 100, RowGroupsPerPart = 1, MaxPartsInFlight = 0 });
        await AddRowsAsync(writer, 0, 99);

        Assert.Empty(FileNames());
        Assert.Empty(writer.WrittenParts);
        Assert.Equal(99, writer.RowCount);

        await writer.CompleteAsync(CancellationToken.None);

        Assert.Equal(["part-00000.parquet"], FileNames());
        Assert.Equal(99L, DuckDb.Scalar($"SELECT count(*) FROM read_parquet({DuckDb.Parts(TableDirectory)})"));
    }

    [Fact]
    public async Task Part_holds_the_configured_number_of_row_groups()
    {
        await using (var writer = Create(new ParquetPartOptions { RowGroupSize = 1000, RowGroupsPerPart = 2 }))
        {
            await AddRowsAsync(writer, 0, 2500);
            await writer.CompleteAsync(CancellationToken.None);
        }

        var groups = DuckDb.Query(
            $"SELECT DISTINCT parse_filename(file_name), row_group_id, row_group_num_rows FROM parquet_metadata({DuckDb.Parts(TableDirectory)}) ORDER BY 1, 2");
        Assert.Equal(
            [["part-00000.parquet", 0L, 1000L], ["part-00000.parquet", 1L, 1000L], ["part-00001.parquet", 0L, 500L]],
            groups);
        Assert.Equal(["part-00000.parquet", "part-00001.parquet"], FileNames());
    }

    [Fact]
    public async Task Empty_table_gets_one_part_with_every_column_and_no_rows()
    {
        await using (var writer = Create(new ParquetPartOptions()))
        {
            await writer.CompleteAsync(CancellationToken.None);
            Assert.Equal([Path.Combine(TableDirectory, "part-00000.parquet")], writer.WrittenParts);
        }

        Assert.Equal(0L, DuckDb.Scalar($"SELECT count(*) FROM read_parquet({DuckDb.Parts(TableDirectory)})"));
        var described = DuckDb.Query($"DESCRIBE SELECT * FROM read_parquet({DuckDb.Parts(TableDirectory)})");
        Assert.Equal(InstancesTable.Schema.Columns.Select(c => c.Name), described.Select(row => (string)row[0]!));
    }

    [Fact]
    public async Task Failed_row_group_stops_the_writer_and_dispose_removes_its_files()
    {
        var writer = Create(new ParquetPartOptions { RowGroupSize = 10, RowGroupsPerPart = 1, MaxPartsInFlight = 0 });
        await AddRowsAsync(writer, 0, 10);
        await AddRowsAsync(writer, 10, 9);
        var broken = InstanceRows.Create(19);
        broken.Path = null!;

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => writer.AddAsync(broken, CancellationToken.None).AsTask());
        Assert.Contains("'path'", failure.Message, StringComparison.Ordinal);
        var again = await Assert.ThrowsAsync<InvalidOperationException>(() => writer.AddAsync(InstanceRows.Create(20), CancellationToken.None).AsTask());
        Assert.Contains("earlier write failed", again.Message, StringComparison.Ordinal);
        Assert.Equal([".part-00001.parquet.tmp", "part-00000.parquet"], FileNames());

        await writer.DisposeAsync();

        Assert.Empty(FileNames());
    }

    [Fact]
    public async Task Parts_are_the_same_bytes_whatever_the_number_encoded_at_once()
    {
        var hashes = new List<string>();
        foreach (var inFlight in new[] { 0, 1, 2, 7 })
        {
            var directory = Path.Combine(_root.Path, "in-flight-" + inFlight);
            await using (var writer = new ParquetPartWriter<InstanceRow>(directory, InstancesTable.Schema,
                new ParquetPartOptions { RowGroupSize = 100, RowGroupsPerPart = 3, MaxPartsInFlight = inFlight }))
            {
                for (var i = 0; i < 2_550; i++) await writer.AddAsync(InstanceRows.Create(i), CancellationToken.None);
                await writer.CompleteAsync(CancellationToken.None);
                Assert.Equal(9, writer.WrittenParts.Count);
            }

            hashes.Add(string.Join(",", Directory.GetFiles(directory).Order(StringComparer.Ordinal)
                .Select(f => Path.GetFileName(f) + ":" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))))));
        }

        Assert.Equal(9, hashes[0].Split(',').Length);
        Assert.Single(hashes.Distinct());
    }

    [Fact]
    public async Task Failure_while_encoding_in_the_background_surfaces_and_dispose_removes_every_file()
    {
        var writer = Create(new ParquetPartOptions { RowGroupSize = 10, RowGroupsPerPart = 1, MaxPartsInFlight = 2 });
        await AddRowsAsync(writer, 0, 15);
        var broken = InstanceRows.Create(15);
        broken.Path = null!;
        await writer.AddAsync(broken, CancellationToken.None);

        // The broken group is encoded off this thread: the error comes back from a later add or from CompleteAsync.
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            for (var i = 16; i < 200; i++) await writer.AddAsync(InstanceRows.Create(i), CancellationToken.None);
            await writer.CompleteAsync(CancellationToken.None);
        });
        Assert.Contains("'path'", failure.Message, StringComparison.Ordinal);
        var again = await Assert.ThrowsAsync<InvalidOperationException>(() => writer.CompleteAsync(CancellationToken.None).AsTask());
        Assert.Contains("earlier write failed", again.Message, StringComparison.Ordinal);

        await writer.DisposeAsync();

        Assert.Empty(FileNames());
    }

    [Fact]
    public async Task Local_time_is_rejected_because_it_would_depend_on_the_machine_zone()
    {
        await using var writer = Create(new ParquetPartOptions { RowGroupSize = 1, RowGroupsPerPart = 1, MaxPartsInFlight = 0 });
        var row = InstanceRows.Create(1);
        row.ModifiedUtc = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Local);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => writer.AddAsync(row, CancellationToken.None).AsTask());

        Assert.Contains("'modified_utc'", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Adding_after_complete_is_refused()
    {
        await using var writer = Create(new ParquetPartOptions());
        await writer.CompleteAsync(CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() => writer.AddAsync(InstanceRows.Create(0), CancellationToken.None).AsTask());
        await Assert.ThrowsAsync<InvalidOperationException>(() => writer.CompleteAsync(CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task Folder_that_already_holds_parts_is_refused()
    {
        Directory.CreateDirectory(TableDirectory);
        await File.WriteAllBytesAsync(Path.Combine(TableDirectory, "part-00000.parquet"), [1, 2, 3]);

        var failure = Assert.Throws<IOException>(() => Create(new ParquetPartOptions()));

        Assert.Contains("already contains part files", failure.Message, StringComparison.Ordinal);
        Assert.Equal(["part-00000.parquet"], FileNames());
    }

    [Fact]
    public void Options_report_every_problem_at_once()
    {
        var options = new ParquetPartOptions
        {
            RowGroupSize = 0,
            RowGroupsPerPart = -1,
            CompressionLevel = (System.IO.Compression.CompressionLevel)42,
            DictionaryEncodingThreshold = 1.5,
            DictionaryEncodingSampleSize = -1,
            MaxPartsInFlight = -1,
        };

        var errors = options.Validate();
        var failure = Assert.Throws<ArgumentException>(() => Create(options));

        Assert.Equal(6, errors.Count);
        foreach (var error in errors)
        {
            Assert.Contains(error, failure.Message, StringComparison.Ordinal);
        }

        Assert.Empty(new ParquetPartOptions().Validate());
    }

    [Fact]
    public async Task Wide_rows_close_a_row_group_at_the_byte_cap_before_the_row_count()
    {
        // Rows of about 100,000 characters of header_json against a 1 MiB cap: a few rows per group, whatever RowGroupSize says.
        await using (var writer = Create(new ParquetPartOptions { RowGroupSize = 1000, RowGroupsPerPart = 1, MaxRowGroupBytes = 1 << 20, MaxPartsInFlight = 0 }))
        {
            for (var i = 0; i < 40; i++)
            {
                var row = InstanceRows.Create(i);
                row.HeaderJson = "{\"00080060\":{\"vr\":\"CS\",\"Value\":[\"" + new string('x', 100_000) + "\"]}}";
                await writer.AddAsync(row, CancellationToken.None);
            }

            await writer.CompleteAsync(CancellationToken.None);
        }

        var sizes = DuckDb.Query($"SELECT row_group_num_rows FROM parquet_metadata({DuckDb.Parts(TableDirectory)}) GROUP BY file_name, row_group_id, row_group_num_rows")
            .Select(r => Convert.ToInt64(r[0])).ToArray();
        Assert.True(sizes.Length >= 5, $"{sizes.Length} row groups");
        Assert.All(sizes, n => Assert.InRange(n, 1L, 8L));
        Assert.Equal(40L, sizes.Sum());
    }

    private ParquetPartWriter<InstanceRow> Create(ParquetPartOptions options) =>
        new(TableDirectory, InstancesTable.Schema, options);

    private static async Task AddRowsAsync(ParquetPartWriter<InstanceRow> writer, int first, int count)
    {
        for (var i = first; i < first + count; i++)
        {
            await writer.AddAsync(InstanceRows.Create(i), CancellationToken.None);
        }
    }

    private string[] FileNames() =>
        Directory.Exists(TableDirectory)
            ? [.. Directory.EnumerateFileSystemEntries(TableDirectory).Select(path => Path.GetFileName(path)!).Order(StringComparer.Ordinal)]
            : [];

    [Fact]
    public async Task By_default_a_table_of_narrow_rows_is_written_in_row_groups_of_8192_rows_kept_in_one_part()
    {
        // A table without a row size estimate (findings, patients, studies) is held a row group at a time: at 100,000
        // rows a group the release's per-patient and per-study tables were held whole at a million files.
        using var temp = new TempDirectory();
        var table = Path.Combine(temp.Path, "quality_findings");
        await using (var writer = new ParquetPartWriter<FindingRow>(table, FindingsTables.Quality, new ParquetPartOptions()))
        {
            for (var i = 0; i < 20_000; i++)
            {
                var row = new FindingRow
                {
                    Path = string.Create(CultureInfo.InvariantCulture, $"p/{i}.dcm"), Scope = "file", RuleId = "Q-X-001", Severity = "info", TagPath = string.Empty, Detail = "d",
                };
                await writer.AddAsync(row, CancellationToken.None);
            }

            await writer.CompleteAsync(CancellationToken.None);
        }

        var groups = DuckDb.Query($"SELECT DISTINCT file_name, row_group_id, row_group_num_rows FROM parquet_metadata({DuckDb.Parts(table)}) ORDER BY row_group_id");
        Assert.Single(Directory.GetFiles(table, "*.parquet"));
        Assert.Equal([8_192L, 8_192L, 3_616L], groups.Select(g => Convert.ToInt64(g[2], CultureInfo.InvariantCulture)));
    }
}
