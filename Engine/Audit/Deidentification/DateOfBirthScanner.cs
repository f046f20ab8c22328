namespace Nccid.Batch.Audit.Deidentification;

/// <summary>
/// Finds dates of birth written in text: a cue ("DOB", "D.O.B.", "born", "birth date", "date of birth", also as
/// "DOB/Age") followed within a few characters by a valid date (12/03/1961, 12-3-61, 12.03.1961, 1961-03-12,
/// 19610312, 12031961, 12 Mar 1961, 12-MAR-61, 12MAR1961, 12th March 1961). A two-digit year may be of either
/// century. Dates without a cue are not reported: study dates in descriptions are common and harmless.
/// </summary>
internal static class DateOfBirthScanner
{
    private static readonly string[] Cues = ["date of birth", "birth date", "birthdate", "d.o.b", "dob", "born"];
    private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    /// <summary>Finds the next date of birth at or after <paramref name="start"/>; the match is the date.</summary>
    public static bool TryFindNext(ReadOnlySpan<char> text, int start, out int matchStart, out int matchLength)
    {
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (c is not ('d' or 'D' or 'b' or 'B')) continue;
            if (i > 0 && char.IsLetterOrDigit(text[i - 1])) continue;
            foreach (var cue in Cues)
            {
                if (i + cue.Length > text.Length || !text.Slice(i, cue.Length).Equals(cue, StringComparison.OrdinalIgnoreCase)) continue;
                var pos = i + cue.Length;
                if (pos < text.Length && char.IsLetter(text[pos])) continue;
                pos = SkipFiller(text, pos);
                var length = MatchDate(text, pos);
                if (length > 0)
                {
                    matchStart = pos;
                    matchLength = length;
                    return true;
                }
            }
        }

        matchStart = matchLength = 0;
        return false;
    }

    /// <summary>Reads a date at <paramref name="at"/>; returns its length, or 0 when there is no valid date there.</summary>
    public static int MatchDate(ReadOnlySpan<char> text, int at)
    {
        var pos = at;
        var first = ReadNumber(text, ref pos, 4);
        if (first.Digits == 0) return 0;
        if (first.Digits == 8 && pos - at == 8)
        {
            // 19610312, else 12031961.
            var v = first.Value;
            return (Valid(v / 10000, v / 100 % 100, v % 100) || Valid(v % 10000, v / 10000 % 100, v / 1000000)) && Ends(text, pos) ? 8 : 0;
        }

        if (pos >= text.Length) return 0;
        if (first.Digits <= 2)
        {
            var named = MatchNamedMonth(text, pos, first.Value);
            if (named > 0) return pos + named - at;
        }

        var separator = text[pos];
        if (separator is not ('/' or '-' or '.')) return 0;
        pos++;
        var second = ReadNumber(text, ref pos, 2);
        if (second.Digits == 0 || pos >= text.Length || text[pos] != separator) return 0;
        pos++;
        var third = ReadNumber(text, ref pos, 4);
        if (!Ends(text, pos)) return 0;
        bool ok = first.Digits == 4
            ? third.Digits is 1 or 2 && Valid(first.Value, second.Value, third.Value)
            : first.Digits <= 2 && ((third.Digits == 4 && Valid(third.Value, second.Value, first.Value))
                || (third.Digits == 2 && ValidTwoDigitYear(third.Value, second.Value, first.Value)));
        return ok ? pos - at : 0;
    }

    /// <summary>
    /// After a day at <paramref name="at"/>: an ordinal suffix, a month name between optional separators (space, '-',
    /// '/', '.') and a year of two or four digits ("th March 1961", "-MAR-61", "Mar1961"); the characters read, or 0.
    /// </summary>
    private static int MatchNamedMonth(ReadOnlySpan<char> text, int at, int day)
    {
        var pos = at;
        foreach (var suffix in (ReadOnlySpan<string>)["st", "nd", "rd", "th"])
        {
            if (pos + 2 <= text.Length && text.Slice(pos, 2).Equals(suffix, StringComparison.OrdinalIgnoreCase))
            {
                pos += 2;
                break;
            }
        }

        if (pos < text.Length && text[pos] is ' ' or '-' or '/' or '.') pos++;
        var month = MonthName(text, pos, out var nameLength);
        if (month == 0) return 0;
        pos += nameLength;
        if (pos < text.Length && text[pos] is ' ' or '-' or '/' or '.') pos++;
        var year = ReadNumber(text, ref pos, 4);
        var valid = year.Digits == 4 ? Valid(year.Value, month, day) : year.Digits == 2 && ValidTwoDigitYear(year.Value, month, day);
        return valid && Ends(text, pos) ? pos - at : 0;
    }

    private static int SkipFiller(ReadOnlySpan<char> text, int pos)
    {
        var limit = Math.Min(text.Length, pos + 6);
        while (pos < limit && text[pos] is ' ' or ':' or '.' or '-' or '=' or ',' or '(' or '/') pos++;
        if (pos + 3 <= text.Length && text.Slice(pos, 3).Equals("on ", StringComparison.OrdinalIgnoreCase)) pos += 3;

        // "DOB/Age: 12/03/1961".
        if (pos + 3 <= text.Length && text.Slice(pos, 3).Equals("age", StringComparison.OrdinalIgnoreCase) && (pos + 3 == text.Length || !char.IsLetter(text[pos + 3])))
        {
            pos += 3;
            limit = Math.Min(text.Length, pos + 4);
            while (pos < limit && text[pos] is ' ' or ':' or '.' or '-' or '=') pos++;
        }

        return pos;
    }

    private static (int Value, int Digits) ReadNumber(ReadOnlySpan<char> text, ref int pos, int maxDigits)
    {
        int value = 0, digits = 0;
        var limit = maxDigits == 4 ? 8 : maxDigits;
        while (pos < text.Length && digits < limit && char.IsAsciiDigit(text[pos]))
        {
            value = (value * 10) + (text[pos] - '0');
            digits++;
            pos++;
        }

        if (digits > maxDigits && digits != 8) return (0, 0);
        return (value, digits);
    }

    private static int MonthName(ReadOnlySpan<char> text, int at, out int length)
    {
        length = 0;
        if (at + 3 > text.Length) return 0;
        for (var m = 0; m < Months.Length; m++)
        {
            if (!text.Slice(at, 3).Equals(Months[m], StringComparison.OrdinalIgnoreCase)) continue;
            var end = at + 3;
            while (end < text.Length && char.IsAsciiLetter(text[end])) end++;
            length = end - at;
            return m + 1;
        }

        return 0;
    }

    /// <summary>A two-digit year read in the 1900s or, when that date does not exist (29/02/00), in the 2000s.</summary>
    private static bool ValidTwoDigitYear(int year, int month, int day) => Valid(1900 + year, month, day) || Valid(2000 + year, month, day);

    private static bool Valid(int year, int month, int day) =>
        year is >= 1850 and <= 2100 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month);

    private static bool Ends(ReadOnlySpan<char> text, int pos) => pos >= text.Length || !char.IsAsciiLetterOrDigit(text[pos]);
}
