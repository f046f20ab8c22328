namespace Nccid.Batch.Audit.Deidentification;

/// <summary>
/// Finds UK postcodes: an outward code of the shapes A9, A99, AA9, AA99, A9A or AA9A, then (after one optional
/// space) an inward code 9AA, in capitals and standing as a word of its own.
/// </summary>
internal static class PostcodeScanner
{
    /// <summary>Finds the next postcode at or after <paramref name="start"/>.</summary>
    public static bool TryFindNext(ReadOnlySpan<char> text, int start, out int matchStart, out int matchLength)
    {
        for (var i = start; i < text.Length; i++)
        {
            if (!char.IsAsciiLetterUpper(text[i])) continue;
            if (i > 0 && char.IsAsciiLetterOrDigit(text[i - 1])) continue;
            var length = Match(text, i);
            if (length > 0)
            {
                matchStart = i;
                matchLength = length;
                return true;
            }
        }

        matchStart = matchLength = 0;
        return false;
    }

    private static int Match(ReadOnlySpan<char> text, int at)
    {
        var pos = at;
        var letters = 0;
        while (pos < text.Length && letters < 2 && char.IsAsciiLetterUpper(text[pos]))
        {
            pos++;
            letters++;
        }

        var digits = 0;
        while (pos < text.Length && digits < 2 && char.IsAsciiDigit(text[pos]))
        {
            pos++;
            digits++;
        }

        if (digits == 0) return 0;

        // A9A and AA9A: one digit, then a letter that is not the start of the inward code.
        if (digits == 1 && pos < text.Length && char.IsAsciiLetterUpper(text[pos]) && !IsInward(text, pos))
        {
            pos++;
        }

        var spaced = pos < text.Length && text[pos] == ' ';
        if (spaced) pos++;
        if (!IsInward(text, pos)) return 0;
        pos += 3;
        if (pos < text.Length && char.IsAsciiLetterOrDigit(text[pos])) return 0;

        // Without the space, ask for the longer shapes only: short runs like "A12BC" are too often codes.
        if (!spaced && pos - at < 6) return 0;
        return pos - at;
    }

    private static bool IsInward(ReadOnlySpan<char> text, int pos) =>
        pos + 2 < text.Length && char.IsAsciiDigit(text[pos]) && char.IsAsciiLetterUpper(text[pos + 1]) && char.IsAsciiLetterUpper(text[pos + 2]);
}
