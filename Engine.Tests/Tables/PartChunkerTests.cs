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
    public void A_chunk_never_spans_two_top_level_folders_so_a_new_folder_leaves_the_other_chunks_as_they_were()
    {
        var before = Listing(1_000, "b-site/").Concat(Listing(1_000, "d-site/")).ToArray();
        var chunks = Chunks(before);
        Assert.All(chunks, c => Assert.Single(c.Keys.Select(k => k[..k.IndexOf('/', StringComparison.Ordinal)]).Distinct()));
        Assert.Contains(chunks, c => c.Keys[0] == "d-site/000000.dcm");

        // A new folder before, between and after the others, and files appended at the end of the first.
        var grown = Listing(30, "a-new/").Concat(Listing(1_000, "b-site/")).Concat(Listing(5, "b-site/z-")).Concat(Listing(3, "c-new/"))
            .Concat(Listing(1_000, "d-site/")).Concat(Listing(7, "e-new/")).ToArray();
        var after = Chunks(grown);
        var old = chunks.Select(c => c.Fingerprint).ToHashSet(StringComparer.Ordinal);
        var changed = after.Where(c => !old.Contains(c.Fingerprint)).ToArray();
        // Only the new folders' chunks and the end of b-site, which the appended files extend, are new.
        var added = grown.Select(r => r.Item1).Except(before.Select(r => r.Item1)).ToHashSet(StringComparer.Ordinal);
        Assert.All(changed, c => Assert.Contains(c.Keys, added.Contains));
        Assert.InRange(changed.Count(c => c.Keys[0].StartsWith("b-site/", StringComparison.Ordinal)), 1, 2);
        Assert.Equal(["a-new/", "c-new/", "e-new/"], changed.Select(c => c.Keys[0][..(c.Keys[0].IndexOf('/', StringComparison.Ordinal) + 1)]).Where(f => f.EndsWith("-new/", StringComparison.Ordinal)).Distinct());
        Assert.All(chunks.SkipLast(1).Where(c => c.Keys[^1].StartsWith("b-site/", StringComparison.Ordinal) && c.Keys[^1] != "b-site/000999.dcm"),
            c => Assert.Contains(c.Fingerprint, after.Select(a => a.Fingerprint)));
        Assert.All(chunks.Where(c => c.Keys[0].StartsWith("d-site/", StringComparison.Ordinal)), c => Assert.Contains(c.Fingerprint, after.Select(a => a.Fingerprint)));
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

    [Fact]
    public void The_fingerprint_is_the_sha256_of_the_salt_and_every_rows_key_size_and_time_however_the_rows_are_buffered()
    {
        // Enough rows to fill the chunker's buffer many times over, and a key longer than the buffer.
        var rows = Enumerable.Range(0, 3000).Select(i => ($"site/{i:D6}-é.dcm", 1000L + i, 5L * i)).Append(("site/" + new string('k', 20_000), 7L, 9L)).ToArray();
        var chunker = new PartChunker("salt", minRows: 1, maxRows: 100_000);
        using var expected = new MemoryStream();
        expected.Write("salt"u8);
        foreach (var (key, size, ticks) in rows)
        {
            chunker.Add(key, size, ticks, reused: true);
            var bytes = System.Text.Encoding.UTF8.GetBytes(key);
            expected.Write(BitConverter.GetBytes(bytes.Length));
            expected.Write(bytes);
            expected.Write(BitConverter.GetBytes(size));
            expected.Write(BitConverter.GetBytes(ticks));
        }

        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(expected.ToArray())), chunker.Finish().Fingerprint);
    }
}
