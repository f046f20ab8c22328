using Nccid.Batch.Storage;

namespace Nccid.Batch.Index;

/// <summary>
/// The key order a store lists in, which the index merge walks: folder by folder (ordinal per path segment) on a
/// local disk, UTF-8 byte order of the whole key on S3 (see <see cref="S3ObjectStore"/>).
/// </summary>
public static class ListingOrder
{
    /// <summary>The comparison matching <paramref name="store"/>'s listing.</summary>
    public static Comparison<string> For(IObjectStore store) => store is S3ObjectStore ? Utf8 : BySegment;

    /// <summary>Ordinal per '/'-separated segment: how <see cref="LocalFileStore"/> walks folders.</summary>
    public static int BySegment(string? a, string? b)
    {
        if (a is null || b is null) return a is null ? (b is null ? 0 : -1) : 1;
        var i = 0;
        var j = 0;
        while (i < a.Length && j < b.Length)
        {
            var endA = a.IndexOf('/', i);
            if (endA < 0) endA = a.Length;
            var endB = b.IndexOf('/', j);
            if (endB < 0) endB = b.Length;
            var c = a.AsSpan(i, endA - i).SequenceCompareTo(b.AsSpan(j, endB - j));
            if (c != 0) return c;
            i = endA + 1;
            j = endB + 1;
        }

        return (a.Length - i).CompareTo(b.Length - j);
    }

    /// <summary>UTF-8 byte order (code-point order): ordinal UTF-16 order except that surrogates sort above U+E000–U+FFFF.</summary>
    public static int Utf8(string? a, string? b)
    {
        if (a is null || b is null) return a is null ? (b is null ? 0 : -1) : 1;
        var n = Math.Min(a.Length, b.Length);
        for (var k = 0; k < n; k++)
        {
            var x = a[k];
            var y = b[k];
            if (x == y) continue;
            return Weight(x).CompareTo(Weight(y));
        }

        return a.Length.CompareTo(b.Length);
    }

    private static int Weight(char c) => c switch
    {
        >= '\uD800' and <= '\uDFFF' => c + 0x2000,
        >= '\uE000' => c - 0x800,
        _ => c,
    };
}
