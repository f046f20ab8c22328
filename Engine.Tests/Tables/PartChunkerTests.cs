using Nccid.Batch.Tables;

namespace Nccid.Batch.Tests.Tables;

public sealed class PartChunkerTests
{
    private static List<(string Fingerprint, string[] Keys)> Chunks(IEnumerable<(string Key, long Size, long Ticks)> rows, string salt = "s")
    {
        var chunker = new PartChunker(salt, minRows: 8, maxRows: 64, divisor: 16);
        var chunks = new List<(string, string[])>();
        var keys = new List<string>();
        foreach (var (key, size, ticks) in rows)
        {
            if (chunker.EndsBefore(key))
            {
                chunks.Add((chunker.Finish().Fingerprint, keys.ToArray()));
                keys.Clear();
            }

            chunker.Add(key, size, ticks, reused: true);
            keys.Add(key);
        }

        chunks.Add((chunker.Finish().Fingerprint, keys.ToArray()));
        return chunks;
    }

    private static (string, long, long)[] Listing(int count, string prefix = "site/") =>
        Enumerable.Range(0, count).Select(i => ($"{prefix}{i:D6}.dcm", 1000L + i, 5L * i)).ToArray();

    [Fact]
    public void Chunk_boundaries_depend_on_the_keys_only_and_respect_the_limits()
    {
        var chunks = Chunks(Listing(2_000));
        Assert.True(chunks.Count > 20, $"only {chunks.Count} chunks");
        Assert.All(chunks.SkipLast(1), c => Assert.InRange(c.Keys.Length, 8, 64));
        Assert.Equal(2_000, chunks.Sum(c => c.Keys.Length));

        // The same keys with other sizes and times cut the same chunks, with other fingerprints.
        var other = Chunks(Listing(2_000).Select(r => (r.Item1, r.Item2 + 1, r.Item3)));
        Assert.Equal(chunks.Select(c => c.Keys.Length), other.Select(c => c.Keys.Length));
        Assert.All(chunks.Zip(other), pair => Assert.NotEqual(pair.First.Fingerprint, pair.Second.Fingerprint));
    }

    [Fact]
    public void Rows_inserted_in_one_place_change_only_the_chunks_around_it()
    {
        var before = Listing(3_000);
        var inserted = before.Take(1_500).Concat(Listing(40, "site/001499-new/")).Concat(before.Skip(1_500)).ToArray();
        var a = Chunks(before).Select(c => c.Fingerprint).ToHashSet(StringComparer.Ordinal);
        var b = Chunks(inserted);
        var changed = b.Count(c => !a.Contains(c.Fingerprint));
        Assert.InRange(changed, 1, 3);
        Assert.True(b.Count > 40, $"only {b.Count} chunks");
    }

    [Fact]
    public void The_fingerprint_covers_the_salt_and_says_whether_every_row_was_reused()
    {
        var one = new PartChunker("parser 1");
        var two = new PartChunker("parser 2");
        one.Add("a.dcm", 1, 2, reused: true);
        two.Add("a.dcm", 1, 2, reused: true);
        var (f1, reused1, rows1) = one.Finish();
        var (f2, _, _) = two.Finish();
        Assert.NotEqual(f1, f2);
        Assert.True(reused1);
        Assert.Equal(1, rows1);

        one.Add("a.dcm", 1, 2, reused: true);
        one.Add("b.dcm", 1, 2, reused: false);
        Assert.False(one.Finish().AllReused);
        Assert.Equal((string.Empty, false, 0), one.Finish());
    }
}
