namespace Nccid.Batch.Audit.Deidentification;

/// <summary>
/// Finds UK telephone numbers: a trunk 0 or an international +44 / 0044 (optionally followed by "(0)", or in
/// brackets), then a national number starting 1, 2, 3, 7, 8 or 9, of 10 digits after the trunk 0 (9 only in the one
/// area code that still has them, 016977), with spaces (one or two, or no-break spaces), dashes or brackets around the
/// area code between digits. Written nationally, the first group holds the trunk 0 and at least two more digits, as
/// every UK area code and mobile prefix does (Ofcom's numbering plan), so a date and time such as "03-04-2020 14:22"
/// is not a number.
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
            if (i > 0 && (char.IsAsciiLetterOrDigit(text[i - 1]) || text[i - 1] is '/' or '+' || (text[i - 1] == '.' && i > 1 && char.IsAsciiDigit(text[i - 2]))))
            {
                continue; // Inside a longer token: a decimal, a UID, a date, a code. "Tel.07700 900123" is not one.
            }

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
            if (open && pos < text.Length && text[pos] == ')')
            {
                // "(+44) 20 7946 0018".
                open = false;
                pos++;
            }

            if (pos < text.Length && text[pos] is ' ' or '-' or '\u00A0') pos++;
            if (Starts(text, pos, "(0)")) pos += 3;
            else if (open) return 0;
            if (pos < text.Length && text[pos] is ' ' or '\u00A0') pos++;
        }

        if (pos >= text.Length || text[pos] is not ('1' or '2' or '3' or '7' or '8' or '9')) return 0;

        // Digits of the national number, with at most one separator (or two spaces) between any two of them.
        var digits = 0;
        var end = pos;
        Span<char> lead = stackalloc char[5];
        while (pos < text.Length)
        {
            var c = text[pos];
            if (char.IsAsciiDigit(c))
            {
                if (digits < lead.Length) lead[digits] = c;
                digits++;
                pos++;
                end = pos;
                if (digits == 10) break;
                continue;
            }

            if (c is ' ' or '-' or '\u00A0' || (c == ')' && open))
            {
                // The trunk 0 and one digit ("03-04-2020") make no area code or mobile prefix.
                if (!international && digits < 2) return 0;
                if (c == ')') open = false;
                pos++;
                if (pos < text.Length && text[pos] is ' ' or '\u00A0' && text[pos - 1] is ')' or ' ' or '\u00A0') pos++;
                if (pos >= text.Length || !char.IsAsciiDigit(text[pos])) break;
                continue;
            }

            break;
        }

        if (open || digits < 9 || (digits == 9 && !lead.SequenceEqual("16977"))) return 0;
        if (end < text.Length && char.IsAsciiDigit(text[end])) return 0;
        return end - at;
    }

    private static bool Starts(ReadOnlySpan<char> text, int pos, string prefix) =>
        pos + prefix.Length <= text.Length && text.Slice(pos, prefix.Length).SequenceEqual(prefix);
}
