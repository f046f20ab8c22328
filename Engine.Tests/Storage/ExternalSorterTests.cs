using Nccid.Batch.Storage;

namespace Nccid.Batch.Tests.Storage;

public sealed class ExternalSorterTests : IDisposable
{
    private readonly string _scratch = Path.Combine(Path.GetTempPath(), "nccid-sort-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_scratch)) Directory.Delete(_scratch, recursive: true);
    }

    /// <summary>Records with many equal keys, so the order of ties shows.</summary>
    private static (string Key, int Value)[] Records(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(i => ("k" + random.Next(count / 4 + 1).ToString("D4", System.Globalization.CultureInfo.InvariantCulture), i)).ToArray();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(100)]
    [InlineData(999)]
    [InlineData(1000)]
    [InlineData(int.MaxValue)]
    public void The_order_is_a_stable_sort_whatever_is_held_in_memory(int recordsInMemory)
    {
        var records = Records(1000, 42);
        using var sorter = new ExternalSorter<(string Key, int Value)>(KeyOrder.Instance, RecordCodec.Instance, _scratch, recordsInMemory);
        foreach (var r in records) sorter.Add(r);

        var sorted = sorter.Sorted().ToArray();

        Assert.Equal(records.OrderBy(r => r.Key, StringComparer.Ordinal).ToArray(), sorted);
        Assert.Equal(1000, sorter.Count);
        Assert.Equal(recordsInMemory == int.MaxValue ? 0 : 1000 / recordsInMemory, sorter.RunsWritten);
        Assert.Equal(sorter.RunFiles, Directory.Exists(_scratch) ? Directory.GetFiles(_scratch).Length : 0);
        Assert.InRange(sorter.RunFiles, 0, 2 * ExternalSorter<(string Key, int Value)>.MaxRunsMerged);
    }

    [Theory]
    [InlineData(1, 64, 1)]
    [InlineData(1, 65, 2)]
    [InlineData(1, 1000, 1000 - (15 * 63))]
    [InlineData(3, 64 * 3 * 2, 2)]
    [InlineData(1, 64 * 64, 1)]
    [InlineData(1, (64 * 64) + (64 * 2) + 5, 1 + 2 + 5)]
    public void Every_64_runs_of_a_level_are_merged_into_one_of_the_next_and_the_order_stays_that_of_a_stable_sort(int recordsInMemory, int count, int files)
    {
        var records = Records(count, 11);
        using var sorter = new ExternalSorter<(string Key, int Value)>(KeyOrder.Instance, RecordCodec.Instance, _scratch, recordsInMemory);
        foreach (var r in records) sorter.Add(r);

        Assert.Equal(count / recordsInMemory, sorter.RunsWritten);
        Assert.Equal(files, sorter.RunFiles);
        Assert.Equal(files, Directory.GetFiles(_scratch).Length);
        Assert.Equal(records.OrderBy(r => r.Key, StringComparer.Ordinal).ToArray(), sorter.Sorted().ToArray());
    }

    [Fact]
    public void Nothing_is_written_while_the_records_fit_and_an_empty_sort_is_empty()
    {
        using (var sorter = new ExternalSorter<(string Key, int Value)>(KeyOrder.Instance, RecordCodec.Instance, _scratch, 10))
        {
            Assert.Empty(sorter.Sorted());
        }

        using (var sorter = new ExternalSorter<(string Key, int Value)>(KeyOrder.Instance, RecordCodec.Instance, _scratch, 10))
        {
            sorter.Add(("b", 1));
            sorter.Add(("a", 2));
            Assert.Equal([("a", 2), ("b", 1)], sorter.Sorted().ToArray());
        }

        Assert.False(Directory.Exists(_scratch));
    }

    [Fact]
    public void Dispose_deletes_the_run_files_even_when_the_merge_was_left_half_read()
    {
        var sorter = new ExternalSorter<(string Key, int Value)>(KeyOrder.Instance, RecordCodec.Instance, _scratch, 3);
        foreach (var r in Records(20, 7)) sorter.Add(r);
        // The last full buffer may still be being written behind: RunFiles waits for it.
        Assert.Equal(6, sorter.RunFiles);
        Assert.Equal(6, Directory.GetFiles(_scratch).Length);

        var first = sorter.Sorted().Take(4).ToArray();
        sorter.Dispose();

        Assert.Equal(4, first.Length);
        Assert.Empty(Directory.GetFiles(_scratch));
    }

    [Fact]
    public void Records_are_not_taken_after_the_sorted_sequence_was_asked_for_and_it_is_read_once()
    {
        using var sorter = new ExternalSorter<(string Key, int Value)>(KeyOrder.Instance, RecordCodec.Instance, _scratch, 2);
        sorter.Add(("a", 1));
        _ = sorter.Sorted();

        Assert.Throws<InvalidOperationException>(() => sorter.Add(("b", 2)));
        Assert.Throws<InvalidOperationException>(() => sorter.Sorted());
    }

    [Fact]
    public void A_run_that_fails_while_written_behind_fails_the_sort_and_leaves_no_file_when_disposed()
    {
        var sorter = new ExternalSorter<(string Key, int Value)>(KeyOrder.Instance, new FailingCodec("poison"), _scratch, 2);
        sorter.Add(("a", 1));
        sorter.Add(("b", 2));
        sorter.Add(("poison", 3));
        sorter.Add(("c", 4));

        var error = Assert.Throws<IOException>(() => sorter.Sorted().ToArray());
        Assert.Equal("disk full", error.Message);
        sorter.Dispose();
        Assert.Empty(Directory.GetFiles(_scratch));
    }

    private sealed class KeyOrder : IComparer<(string Key, int Value)>
    {
        public static KeyOrder Instance { get; } = new();

        public int Compare((string Key, int Value) x, (string Key, int Value) y) => string.CompareOrdinal(x.Key, y.Key);
    }

    private sealed class RecordCodec : ISpillCodec<(string Key, int Value)>
    {
        public static RecordCodec Instance { get; } = new();

        public void Write(BinaryWriter writer, (string Key, int Value) item)
        {
            writer.Write(item.Key);
            writer.Write(item.Value);
        }

        public (string Key, int Value) Read(BinaryReader reader) => (reader.ReadString(), reader.ReadInt32());
    }

    private sealed class FailingCodec(string poison) : ISpillCodec<(string Key, int Value)>
    {
        public void Write(BinaryWriter writer, (string Key, int Value) item)
        {
            if (item.Key == poison) throw new IOException("disk full");
            RecordCodec.Instance.Write(writer, item);
        }

        public (string Key, int Value) Read(BinaryReader reader) => RecordCodec.Instance.Read(reader);
    }
}
