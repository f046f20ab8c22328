namespace Nccid.Batch.Audit.Deidentification;

/// <summary>
/// Finds local hospital numbers (medical record numbers) that text names as such: a cue ("MRN", "Hospital No",
/// "Hosp Number", "Unit No", "Medical Record Number"), then within a few characters an identifier: up to three
/// letters, perhaps a space or a dash, then five to twenty digits with at most one space or dash among them
/// ("RJ1 123456", "K123456", "AB-1234567"). Without a cue, numbers are left to the profile's
/// <c>hospitalNumberPattern</c>: every trust writes its own.
/// </summary>
internal static class HospitalNumberScanner
{
    private static readonly string[] Cues =
    [
        "medical record number", "medical record no", "hospital number", "hospital num", "hospital no", "hosp number",
        "hosp num", "hosp no", "hosp. no", "unit number", "unit no", "mrn",
    ];

    /// <summary>Finds the next hospital number at or after <paramref name="start"/>; the match is the identifier.</summary>
    public static bool TryFindNext(ReadOnlySpan<char> text, int start, out int matchStart, out int matchLength)
    {
        for (var i = start; i < text.Length; i++)
        {
            if (text[i] is not ('m' or 'M' or 'h' or 'H' or 'u' or 'U')) continue;
            if (i > 0 && char.IsLetterOrDigit(text[i - 1])) continue;
            foreach (var cue in Cues)
            {
                if (i + cue.Length > text.Length || !text.Slice(i, cue.Length).Equals(cue, StringComparison.OrdinalIgnoreCase)) continue;
                var pos = i + cue.Length;
                if (pos < text.Length && char.IsLetter(text[pos])) continue;
                var limit = Math.Min(text.Length, pos + 4);
                while (pos < limit && text[pos] is ' ' or ':' or '.' or '#' or '=' or '-' or '\u00A0') pos++;
                var length = MatchIdentifier(text, pos);
                if (length > 0)
                {
                    matchStart = pos;
                    matchLength = length;
                    return true;
                }

                break;
            }
        }

        matchStart = matchLength = 0;
        return false;
    }

    /// <summary>Up to three letters (perhaps then a space or dash), digits, perhaps a space or dash and more digits; five digits at least.</summary>
    private static int MatchIdentifier(ReadOnlySpan<char> text, int at)
    {
        var pos = at;
        while (pos < text.Length && pos - at < 3 && char.IsAsciiLetter(text[pos])) pos++;
        if (pos > at && pos + 1 < text.Length && text[pos] is ' ' or '-' && char.IsAsciiDigit(text[pos + 1])) pos++;
        var digits = Digits(text, ref pos);
        if (digits == 0) return 0;
        var end = pos;
        if (pos + 1 < text.Length && text[pos] is ' ' or '-' && char.IsAsciiDigit(text[pos + 1]))
        {
            var next = pos + 1;
            var more = Digits(text, ref next);
            if (more >= 4)
            {
                digits += more;
                end = next;
            }
        }

        if (digits is < 5 or > 20) return 0;
        return end < text.Length && char.IsAsciiLetterOrDigit(text[end]) ? 0 : end - at;
    }

    private static int Digits(ReadOnlySpan<char> text, ref int pos)
    {
        var start = pos;
        while (pos < text.Length && char.IsAsciiDigit(text[pos])) pos++;
        return pos - start;
    }
}
