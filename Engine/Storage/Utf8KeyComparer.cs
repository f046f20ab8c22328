namespace Nccid.Batch.Storage;

/// <summary>
/// Orders keys as S3 lists them: by the bytes of their UTF-8 encoding, which is code-point order. Ordinal UTF-16
/// order differs only where a surrogate pair meets a character from U+E000 to U+FFFF, which is corrected here.
/// </summary>
internal sealed class Utf8KeyComparer : IComparer<string>
{
    /// <summary>The one instance.</summary>
    public static readonly Utf8KeyComparer Instance = new();

    /// <inheritdoc />
    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        var n = Math.Min(x.Length, y.Length);
        for (var i = 0; i < n; i++)
        {
            var a = x[i];
            var b = y[i];
            if (a == b) continue;
            var aSurrogate = char.IsSurrogate(a);
            if (aSurrogate != char.IsSurrogate(b))
            {
                // A surrogate stands for a code point above U+FFFF, so it sorts after every other character.
                if (aSurrogate && b >= '\uE000') return 1;
                if (!aSurrogate && a >= '\uE000') return -1;
            }

            return a - b;
        }

        return x.Length - y.Length;
    }
}
