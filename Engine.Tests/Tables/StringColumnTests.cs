using System.Runtime.CompilerServices;
using Nccid.Batch.Tables;
using Parquet;
using Xunit;

namespace Nccid.Batch.Tests.Tables;

public sealed class StringColumnTests
{
    private const int Rows = 2_500;

    [Fact]
    public async Task Strings_written_to_a_row_group_are_not_kept_alive_by_the_writer()
    {
        // Parquet.Net packs nullable values into a pooled array that it returns uncleared; handed those, it kept a row
        // group's strings (header_json: megabytes) alive after their rows were gone. 20 rounds so that every pooled
        // array a later rent could hand back has been through the writer.
        var strings = new List<WeakReference>();
        for (var round = 0; round < 20; round++)
        {
            await WriteAsync(round, strings);
        }

        for (var i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.Equal(0, strings.Count(s => s.IsAlive));
    }

    [Fact]
    public async Task Nulls_and_values_of_required_and_nullable_columns_read_back_in_place()
    {
        var folder = Directory.CreateTempSubdirectory("nccid-strings-").FullName;
        try
        {
            var path = Path.Combine(folder, "t.parquet");
            var rows = Enumerable.Range(0, 1_000).Select(i => new Sample($"name-{i}", i % 3 == 0 ? null : $"note-{i}")).ToArray();
            await using (var stream = File.Create(path))
            {
                await using var writer = await ParquetWriter.CreateAsync(Schema.ParquetSchema, stream);
                await Schema.WriteRowGroupAsync(writer, rows, CancellationToken.None);
                await Schema.WriteRowGroupAsync(writer, rows.AsMemory(0, 7), CancellationToken.None);
            }

            var read = DuckDb.Query($"SELECT name, note FROM read_parquet('{path}')");
            var expected = rows.Concat(rows.Take(7)).Select(r => new object?[] { r.Name, r.Note }).ToList();
            Assert.Equal(expected, read);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static TableSchema<Sample> Schema { get; } = new TableSchemaBuilder<Sample>("samples", "Test rows.")
        .RequiredString("name", "Name", s => s.Name)
        .String("note", "Optional note", s => s.Note)
        .Build();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task WriteAsync(int round, List<WeakReference> strings)
    {
        var rows = new Sample[Rows];
        for (var i = 0; i < rows.Length; i++)
        {
            var note = i % 10 == 0 ? null : new string((char)('a' + (i % 26)), 2_000) + $"{round}/{i}";
            if (note is not null) strings.Add(new WeakReference(note));
            rows[i] = new Sample($"{round}/{i}", note);
        }

        using var stream = new MemoryStream();
        await using var writer = await ParquetWriter.CreateAsync(Schema.ParquetSchema, stream);
        await Schema.WriteRowGroupAsync(writer, rows, CancellationToken.None);
    }

    private sealed record Sample(string Name, string? Note);
}
