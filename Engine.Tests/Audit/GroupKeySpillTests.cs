using Nccid.Batch.Audit;
using Nccid.Batch.Tests.Tables;

namespace Nccid.Batch.Tests.Audit;

/// <summary>The collection rules' group keys kept on disk: written chunk by chunk, read back, copied into a state file and from it.</summary>
public sealed class GroupKeySpillTests
{
    [Fact]
    public void Keys_read_back_as_written_in_any_order_and_are_copied_through_a_state_file_unchanged()
    {
        using var temp = new TempDirectory();
        var scratch = Path.Combine(temp.Path, "scratch");
        using var spill = new GroupKeySpill(scratch);
        var random = new Random(7);
        // Over the copy block (8,192 keys) and under it, with an empty chunk between.
        ulong[][] chunks = [Keys(random, 20_000), Keys(random, 3), [], Keys(random, 8_192)];
        var ranges = chunks.Select(k => spill.Write(k)).ToArray();
        Assert.True(File.Exists(Directory.GetFiles(scratch).Single()));

        for (var c = chunks.Length - 1; c >= 0; c--) Assert.Equal(chunks[c], spill.Read(ranges[c]));

        // Through a state file: CopyTo writes each key as the state does, Write(reader, count) takes them back.
        var state = Path.Combine(temp.Path, "state.bin");
        using (var writer = new BinaryWriter(File.Create(state)))
        {
            foreach (var range in ranges) spill.CopyTo(range, writer);
        }

        Assert.Equal(8L * chunks.Sum(k => k.Length), new FileInfo(state).Length);
        using var next = new GroupKeySpill(scratch);
        using (var reader = new BinaryReader(File.OpenRead(state)))
        {
            var again = chunks.Select(k => next.Write(reader, k.Length)).ToArray();
            for (var c = 0; c < chunks.Length; c++) Assert.Equal(chunks[c], next.Read(again[c]));
        }

        // Both scratch files go with their spills.
        Assert.Equal(2, Directory.GetFiles(scratch).Length);
        spill.Dispose();
        next.Dispose();
        Assert.Empty(Directory.GetFiles(scratch));
    }

    [Fact]
    public void A_state_file_that_ends_early_is_an_error_not_keys_made_up()
    {
        using var temp = new TempDirectory();
        using var spill = new GroupKeySpill(Path.Combine(temp.Path, "scratch"));
        using var reader = new BinaryReader(new MemoryStream(new byte[8 * 5 + 3]));
        Assert.Throws<EndOfStreamException>(() => spill.Write(reader, 6));
    }

    private static ulong[] Keys(Random random, int count)
    {
        var keys = new HashSet<ulong>();
        while (keys.Count < count) keys.Add((ulong)random.NextInt64() ^ ((ulong)random.Next() << 40));
        return keys.Order().ToArray();
    }
}
