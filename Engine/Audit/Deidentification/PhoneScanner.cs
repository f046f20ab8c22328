namespace Nccid.Batch.Audit.Deidentification;

/// <summary>
/// Finds UK telephone numbers: a trunk 0 or an international +44 / 0044 (optionally followed by "(0)"), then a
/// national number starting 1, 2, 3, 7, 8 or 9, of 10 digits after the trunk 0 (9 or 10 for a few old area
/// codes), with single spaces, dashes or brackets around the area code between digits.
/// </summary>
internal static class PhoneScanner
{
    /// <summary>Finds the next telephone number at or after <paramref name="start"/>.</summary>
    public static bool TryFindNext(ReadOnlySpan<char> text, int start, out int matchStart, out int matchLength)
    {
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (c is not ('0' or '+' or '(')) continue;
            if (i > 0 && (char.IsAsciiLetterOrDigit(text[i - 1]) || text[i - 1] is '.' or '/' or '+')) continue;
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
        var open = false;
        if (text[pos] == '(')
        {
            open = true;
            pos++;
        }

        bool international;
        if (Starts(text, pos, "+44"))
        {
            international = true;
            pos += 3;
        }
        else if (Starts(text, pos, "0044"))
        {
            international = true;
            pos += 4;
        }
        else if (pos < text.Length && text[pos] == '0')
        {
            international = false;
            pos++;
        }
        else
        {
            return 0;
        }

        if (international)
        {
            if (pos < text.Length && text[pos] == ' ') pos++;
            if (Starts(text, pos, "(0)")) pos += 3;
            else if (open) return 0;
            if (pos < text.Length && text[pos] == ' ') pos++;
        }

        if (pos >= text.Length || text[pos] is not ('1' or '2' or '3' or '7' or '8' or '9')) return 0;

        // Digits of the national number, with at most one separator between any two of them.
        var digits = 0;
        var end = pos;
        while (pos < text.Length)
        {
            var c = text[pos];
            if (char.IsAsciiDigit(c))
            {
                digits++;
                pos++;
                end = pos;
                if (digits == 10) break;
                continue;
            }

            if (c is ' ' or '-' || (c == ')' && open))
            {
                if (c == ')') open = false;
                pos++;
                if (pos < text.Length && text[pos] == ' ' && text[pos - 1] == ')') pos++;
                if (pos >= text.Length || !char.IsAsciiDigit(text[pos])) break;
                continue;
            }

            break;
        }

        if (open || digits < 9) return 0;
        if (end < text.Length && char.IsAsciiDigit(text[end])) return 0;
        return end - at;
    }

    private static bool Starts(ReadOnlySpan<char> text, int pos, string prefix) =>
        pos + prefix.Length <= text.Length && text.Slice(pos, prefix.Length).SequenceEqual(prefix);
}
