using Nccid.Batch.Index;
using Nccid.Batch.Pipeline;
using Nccid.Batch.Tables;
using Nccid.Batch.Tests.Tables;

namespace Nccid.Batch.Tests.Index;

public sealed class IndexingSinkTests
{
    private sealed class RecordingSink : IRowSink<string>
    {
        public List<string> Rows { get; } = [];

        public bool Completed { get; private set; }

        public ValueTask AddAsync(string row, CancellationToken cancellationToken)
        {
            Rows.Add(row);
            return ValueTask.CompletedTask;
        }

        public ValueTask CompleteAsync(CancellationToken cancellationToken)
        {
            Completed = true;
            return ValueTask.CompletedTask;
        }
    }

    private static ScanIndexEntry Fresh(string key) => ScanIndexEntry.Made(key, 10, 20, null, null, false, 10, 1, [], [1], "text of " + key);

    [Fact]
    public async Task Rows_go_on_at_once_and_a_chunk_of_fresh_entries_is_written_as_it_comes_into_one_segment_per_chunk()
    {
        using var temp = new TempDirectory();
        var inner = new RecordingSink();
        var writer = new ScanIndexGenerationWriter(Path.Combine(temp.Path, "entries"));
        // Chunks of 4 to 4 rows: the chunk's end is decided by the count alone.
        var sink = new IndexingSink<string>(inner, writer, new Dictionary<string, (string Meta, string Rows)>(), new PartChunker("salt", minRows: 4, maxRows: 4));

        for (var i = 0; i < 10; i++)
        {
            var key = "a/" + i.ToString("D2", System.Globalization.CultureInfo.InvariantCulture);
            await sink.AddAsync(new IndexedRow<string>(key, i == 5 ? null : Fresh(key)), CancellationToken.None);
            // Nothing waits for the chunk to end: the row is with the table writer, the entry in an open segment.
            Assert.Equal(i + 1, inner.Rows.Count);
            Assert.True(writer.IsOpen);
        }

        await sink.CompleteAsync(CancellationToken.None);

        Assert.True(inner.Completed);
        Assert.False(writer.IsOpen);
        Assert.Equal(1, sink.Unindexed);
        Assert.Equal([4L, 4L, 1L], writer.Segments.Select(s => s.Entries));
        Assert.Equal(9, writer.Count);
        Assert.Equal(3, writer.Written);
        Assert.Equal(6, Directory.GetFiles(Path.Combine(temp.Path, "entries")).Length);
    }
}
