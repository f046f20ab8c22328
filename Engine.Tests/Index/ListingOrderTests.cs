using Nccid.Batch.Index;
using Nccid.Batch.Storage;
using Nccid.Batch.Tests.Tables;

namespace Nccid.Batch.Tests.Index;

public sealed class ListingOrderTests
{
    [Fact]
    public async Task The_segment_order_is_the_order_the_local_store_lists_in()
    {
        using var temp = new TempDirectory();
        foreach (var name in new[] { "a/y.dcm", "a-b/x.dcm", "a.b", "a/b/c.dcm", "B/z", "a/b-c/d", "ä/e" })
        {
            var path = Path.Combine(temp.Path, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, "x");
        }

        var listed = new List<string>();
        await foreach (var o in new LocalFileStore(temp.Path).ListAsync(CancellationToken.None)) listed.Add(o.Key);
        var sorted = listed.ToList();
        sorted.Sort(ListingOrder.BySegment);
        Assert.Equal(listed, sorted);
        Assert.True(ListingOrder.BySegment("a/y.dcm", "a-b/x.dcm") < 0);
        Assert.True(string.CompareOrdinal("a/y.dcm", "a-b/x.dcm") > 0);
    }

    [Fact]
    public void The_segment_order_compares_segment_by_segment_whatever_the_keys()
    {
        // The definition: ordinal per '/'-separated segment, a key with fewer segments first when the rest agree.
        static int Reference(string a, string b)
        {
            var x = a.Split('/');
            var y = b.Split('/');
            for (var k = 0; k < Math.Min(x.Length, y.Length); k++)
            {
                var c = string.CompareOrdinal(x[k], y[k]);
                if (c != 0) return c;
            }

            return x.Length.CompareTo(y.Length);
        }

        var random = new Random(3);
        const string alphabet = "ab/.-_Aä0";
        string Key() => new(Enumerable.Range(0, random.Next(9)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
        for (var n = 0; n < 100_000; n++)
        {
            var a = Key();
            var b = random.Next(4) == 0 ? a + Key() : Key();
            Assert.True(Math.Sign(Reference(a, b)) == Math.Sign(ListingOrder.BySegment(a, b)), $"'{a}' against '{b}'");
            Assert.True(Math.Sign(Reference(b, a)) == Math.Sign(ListingOrder.BySegment(b, a)), $"'{b}' against '{a}'");
        }

        Assert.True(ListingOrder.BySegment("a", "a/") < 0);
        Assert.True(ListingOrder.BySegment("x//y", "x/z") < 0);
        Assert.Equal(0, ListingOrder.BySegment("a/b", "a/b"));
    }

    [Fact]
    public void The_UTF8_order_puts_characters_beyond_the_BMP_after_private_use_ones()
    {
        Assert.True(ListingOrder.Utf8("a\uE000", "a\U0001F600") < 0);
        Assert.True(string.CompareOrdinal("a\uE000", "a\U0001F600") > 0);
        Assert.True(ListingOrder.Utf8("a-b/x", "a/y") < 0);
        Assert.Equal(0, ListingOrder.Utf8("same", "same"));
    }
}
