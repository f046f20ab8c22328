namespace Nccid.Batch.Audit.Deidentification;

/// <summary>
/// Finds NHS numbers (England, Wales, Isle of Man) and CHI numbers (Scotland) in text: ten digits, written together
/// or as 3-3-4 groups split by spaces, no-break spaces, dashes or en dashes, whose tenth digit is the modulus-11 check
/// digit of the first nine. Right after "NHS", "CHI" or "H&amp;C" (with "No", "Number", "#" or punctuation between, or
/// nothing), ten digits are reported whatever their check digit (a mistyped number still points at the patient), and
/// a CHI number also as its 6-digit birth date and four more digits. A number whose first six digits are a valid
/// DDMMYY date is reported as a CHI number.
/// </summary>
internal static class HealthNumberScanner
{
    /// <summary>The modulus-11 check digit of nine digits (weights 10 down to 2), or -1 when it would be 10 (no valid number).</summary>
    public static int CheckDigit(ReadOnlySpan<int> nineDigits)
    {
        var sum = 0;
        for (var i = 0; i < 9; i++) sum += nineDigits[i] * (10 - i);
        var check = 11 - (sum % 11);
        return check switch
        {
            11 => 0,
            10 => -1,
            _ => check,
        };
    }

    /// <summary>True when <paramref name="digits"/> is ten ASCII digits whose last is the modulus-11 check digit of the others.</summary>
    public static bool IsValidModulus11(ReadOnlySpan<char> digits)
    {
        if (digits.Length != 10) return false;
        Span<int> values = stackalloc int[10];
        for (var i = 0; i < 10; i++)
        {
            if (!char.IsAsciiDigit(digits[i])) return false;
            values[i] = digits[i] - '0';
        }

        var check = CheckDigit(values[..9]);
        return check >= 0 && check == values[9];
    }

    /// <summary>True when the first six of ten digits are a valid DDMMYY date (the CHI number's birth date).</summary>
    public static bool StartsWithDate(ReadOnlySpan<char> digits)
    {
        if (digits.Length < 6) return false;
        var day = ((digits[0] - '0') * 10) + (digits[1] - '0');
        var month = ((digits[2] - '0') * 10) + (digits[3] - '0');
        var year = ((digits[4] - '0') * 10) + (digits[5] - '0');
        if (month is < 1 or > 12 || day < 1) return false;

        // Read in the 2000s: every year ending in a multiple of 4 is then a leap year, as one of its centuries is.
        return day <= DateTime.DaysInMonth(2000 + year, month);
    }

    /// <summary>Finds the next NHS or CHI number at or after <paramref name="start"/>.</summary>
    public static bool TryFindNext(ReadOnlySpan<char> text, int start, out int matchStart, out int matchLength, out bool isChi)
    {
        Span<char> digits = stackalloc char[10];
        for (var i = start; i < text.Length; i++)
        {
            if (!char.IsAsciiDigit(text[i])) continue;
            var cued = FollowsCue(text, i);
            if (!cued && i > 0 && (char.IsAsciiLetterOrDigit(text[i - 1]) || (text[i - 1] == '.' && i > 1 && char.IsAsciiDigit(text[i - 2]))))
            {
                // Inside a longer token (a UID, a decimal, an accession like A123...): skip to its end.
                while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
                continue;
            }

            var length = MatchDigits(text, i, digits, cued);
            if (length > 0 && (cued || IsValidModulus11(digits)))
            {
                matchStart = i;
                matchLength = length;
                isChi = StartsWithDate(digits);
                return true;
            }
        }

        matchStart = matchLength = 0;
        isChi = false;
        return false;
    }

    /// <summary>
    /// True when <paramref name="at"/> follows "NHS", "CHI" or "H&amp;C" as a word, with at most "No", "Number", "Num"
    /// and spaces or punctuation between ("NHS No.9434765919", "NHS9434765919", "CHI: 1203611234").
    /// </summary>
    private static bool FollowsCue(ReadOnlySpan<char> text, int at)
    {
        var pos = SkipPunctuationBack(text, at);
        foreach (var word in (ReadOnlySpan<string>)["number", "num", "no"])
        {
            if (EndsWith(text, pos, word))
            {
                pos = SkipPunctuationBack(text, pos - word.Length);
                break;
            }
        }

        foreach (var cue in (ReadOnlySpan<string>)["NHS", "CHI", "H&C"])
        {
            if (EndsWith(text, pos, cue)) return pos == cue.Length || !char.IsAsciiLetterOrDigit(text[pos - cue.Length - 1]);
        }

        return false;
    }

    private static int SkipPunctuationBack(ReadOnlySpan<char> text, int pos)
    {
        var limit = Math.Max(0, pos - 4);
        while (pos > limit && text[pos - 1] is ' ' or '\u00A0' or ':' or '.' or '#' or '-' or '=') pos--;
        return pos;
    }

    private static bool EndsWith(ReadOnlySpan<char> text, int pos, string word) =>
        pos >= word.Length && text.Slice(pos - word.Length, word.Length).Equals(word, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Reads ten digits at <paramref name="at"/> (together or 3-3-4, with one separator kind; after a cue also 6-4, a
    /// CHI number's birth date apart, which without one is too like a date and a time); returns the characters used, or 0.
    /// </summary>
    private static int MatchDigits(ReadOnlySpan<char> text, int at, Span<char> digits, bool cued)
    {
        var n = 0;
        var pos = at;
        while (pos < text.Length && n < 10 && char.IsAsciiDigit(text[pos])) digits[n++] = text[pos++];
        if (n == 10) return Ends(text, pos) ? pos - at : 0;
        if (pos >= text.Length) return 0;
        var separator = text[pos];
        if (separator is not (' ' or '-' or '\u00A0' or '\u2013')) return 0;
        if (cued && n == 6 && StartsWithDate(digits[..6]))
        {
            // A CHI number as its birth date and four more digits.
            pos++;
            for (var k = 0; k < 4; k++)
            {
                if (pos >= text.Length || !char.IsAsciiDigit(text[pos])) return 0;
                digits[n++] = text[pos++];
            }

            return Ends(text, pos) ? pos - at : 0;
        }

        if (n != 3) return 0;
        pos++;
        for (var group = 0; group < 2; group++)
        {
            var want = group == 0 ? 3 : 4;
            for (var k = 0; k < want; k++)
            {
                if (pos >= text.Length || !char.IsAsciiDigit(text[pos])) return 0;
                digits[n++] = text[pos++];
            }

            if (group == 0)
            {
                if (pos >= text.Length || text[pos] != separator) return 0;
                pos++;
            }
        }

        return Ends(text, pos) ? pos - at : 0;
    }

    private static bool Ends(ReadOnlySpan<char> text, int pos) =>
        pos >= text.Length || !(char.IsAsciiLetterOrDigit(text[pos]) || (text[pos] == '.' && pos + 1 < text.Length && char.IsAsciiDigit(text[pos + 1])));
}
