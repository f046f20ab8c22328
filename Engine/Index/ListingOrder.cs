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
        // Both keys agree up to their first difference, and so do their segments; only the segment it falls in decides.
        var p = a.AsSpan().CommonPrefixLength(b);
        var endA = p == a.Length || a[p] == '/';
        var endB = p == b.Length || b[p] == '/';
        if (endA && endB) return p == a.Length ? (p == b.Length ? 0 : -1) : 1;
        // A segment that ends where the other goes on is a prefix of it: the shorter sorts first.
        if (endA) return -1;
        if (endB) return 1;
        return a[p].CompareTo(b[p]);
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
