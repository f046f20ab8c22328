namespace Nccid.Batch.Audit.Deidentification;

/// <summary>Finds e-mail addresses: a local part, '@', and a domain of at least two labels ending in letters.</summary>
internal static class EmailScanner
{
    /// <summary>Finds the next address at or after <paramref name="start"/>.</summary>
    public static bool TryFindNext(ReadOnlySpan<char> text, int start, out int matchStart, out int matchLength)
    {
        var at = start;
        while (true)
        {
            var rel = text[at..].IndexOf('@');
            if (rel < 0) break;
            var sign = at + rel;
            var left = sign;
            while (left > 0 && IsLocal(text[left - 1])) left--;
            while (left < sign && text[left] is '.' or '\'') left++;
            var right = sign + 1;
            var dots = 0;
            var lastDot = -1;
            while (right < text.Length && (char.IsAsciiLetterOrDigit(text[right]) || text[right] is '-' or '.'))
            {
                if (text[right] == '.')
                {
                    if (right == lastDot + 1 || right == sign + 1) break;
                    dots++;
                    lastDot = right;
                }

                right++;
            }

            if (right > 0 && text[right - 1] == '.')
            {
                right--;
                dots--;
                lastDot = text[..right].LastIndexOf('.');
            }

            if (left < sign && dots > 0 && lastDot > sign && right - lastDot - 1 >= 2 && AllLetters(text[(lastDot + 1)..right]))
            {
                matchStart = left;
                matchLength = right - left;
                return true;
            }

            at = sign + 1;
        }

        matchStart = matchLength = 0;
        return false;
    }

    // RFC 5322's atext as addresses are written in practice, the apostrophe of O'Neill included.
    private static bool IsLocal(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '%' or '+' or '-' or '\'';

    private static bool AllLetters(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiLetter(c)) return false;
        }

        return true;
    }
}
