using System.Globalization;

namespace Nccid.Batch.Clinical;

/// <summary>
/// Reads the date forms hospitals send and returns an ISO calendar date, or null with the reason:
/// ISO <c>yyyy-mm-dd</c> (a time part is dropped), <c>yyyymmdd</c>, <c>dd/mm/yyyy</c> (day first, the UK
/// convention; read month first only when the first part cannot be a month), <c>m/d/yy</c> (a two-digit year
/// marks a US-style spreadsheet export, so month first; years 00–49 are 20xx, 50–99 are 19xx), '.' or '-'
/// for '/', month names (<c>20 Mar 2020</c>), Excel serial day numbers (a JSON number or digits only; day 1 is
/// 1900-01-01 and day 61 is 1900-03-01, as Excel counts them) and the value-and-date cell <c>[Text] - 2020-03-20</c>.
/// A date that does not exist (31/02/2020) or lies outside the plausible window is rejected.
/// </summary>
public static class DateNormaliser
{
    private const string Iso = "ISO date";
    private static readonly DateOnly ExcelEpoch = new(1899, 12, 30);
    private static readonly string[] MonthNameFormats =
        ["d MMM yyyy", "d-MMM-yyyy", "d MMMM yyyy", "d-MMM-yy", "d MMM yy", "MMM d, yyyy", "MMMM d, yyyy", "MMM d yyyy", "MMMM d yyyy"];

    /// <summary>Normalises one raw date.</summary>
    /// <param name="input">The raw value.</param>
    /// <param name="earliest">Earliest plausible date, inclusive; null for no bound.</param>
    /// <param name="latest">Latest plausible date, inclusive; null for no bound.</param>
    public static Normalised<DateOnly> Normalise(ClinicalInput input, DateOnly? earliest = null, DateOnly? latest = null)
    {
        if (input.Kind == ClinicalInputKind.Null)
        {
            return Normalised<DateOnly>.Blank("date.null", "null");
        }

        if (input.IsBlank)
        {
            return Normalised<DateOnly>.Blank("date.blank", "blank text");
        }

        var parsed = input.Kind switch
        {
            // Eight digits are past Excel's last day (9999-12-31 is day 2,958,465): a yyyymmdd written as a number.
            ClinicalInputKind.Number when input.Text.Length == 8 && AllDigits(input.Text, 0, 8) => ParseText(input.Text),
            ClinicalInputKind.Number => ParseSerial(input.Text, "date.excel_serial", "Excel serial day number"),
            ClinicalInputKind.Boolean => Normalised<DateOnly>.Rejected("date.unreadable", "JSON boolean", "not a date"),
            _ => ParseText(input.Text.Trim()),
        };
        return parsed.HasValue ? CheckWindow(parsed, earliest, latest) : parsed;
    }

    private static Normalised<DateOnly> CheckWindow(Normalised<DateOnly> parsed, DateOnly? earliest, DateOnly? latest)
    {
        if ((earliest is { } min && parsed.Value < min) || (latest is { } max && parsed.Value > max))
        {
            return Normalised<DateOnly>.Rejected("date.implausible", parsed.InputClass, "date outside the plausible window");
        }

        return parsed;
    }

    private static Normalised<DateOnly> ParseText(string text)
    {
        if (ValueDateCell.TrySplit(text, out var value, out var dateText))
        {
            var inner = ParseText(dateText);
            var placeholder = ValueDateCell.IsPlaceholder(value) ? "[placeholder]" : "[value]";
            return inner.HasValue
                ? Normalised<DateOnly>.Changed(inner.Value, "date.value_date_cell", placeholder + " - " + inner.InputClass, Iso)
                : Normalised<DateOnly>.Rejected(inner.RuleId, placeholder + " - " + inner.InputClass, "not a date");
        }

        if (text.Length == 10 && text[4] == '-' && text[7] == '-' && AllDigits(text, 0, 4) && AllDigits(text, 5, 2) && AllDigits(text, 8, 2))
        {
            return Build(Int(text, 0, 4), Int(text, 5, 2), Int(text, 8, 2), "date.iso", Iso, unchanged: true);
        }

        if (text.Length > 10 && text[4] == '-' && text[7] == '-' && (text[10] == 'T' || text[10] == ' ')
            && AllDigits(text, 0, 4) && AllDigits(text, 5, 2) && AllDigits(text, 8, 2))
        {
            return Build(Int(text, 0, 4), Int(text, 5, 2), Int(text, 8, 2), "date.iso_datetime", "ISO date and time", unchanged: false);
        }

        if (TrailingTime(text) is > 0 and var dateEnd)
        {
            // "01/04/2020 00:00": a spreadsheet's date and time; the date is what is kept.
            var dated = ParseText(text[..dateEnd]);
            return dated.HasValue
                ? Normalised<DateOnly>.Changed(dated.Value, dated.RuleId, dated.InputClass + " and a time", Iso)
                : dated;
        }

        if (AllDigits(text, 0, text.Length))
        {
            return text.Length == 8
                ? Build(Int(text, 0, 4), Int(text, 4, 2), Int(text, 6, 2), "date.yyyymmdd", "text yyyymmdd", unchanged: false)
                : ParseSerial(text, "date.excel_serial", "Excel serial day number as text");
        }

        if (TrySplitNumeric(text, out var first, out var second, out var year, out var yearDigits))
        {
            return yearDigits == 4 ? DayFirst(first, second, year) : MonthFirst(first, second, year);
        }

        // .NET knows September as "Sep" only; "Sept" is as common.
        var months = text.Contains("Sept", StringComparison.OrdinalIgnoreCase) && !text.Contains("September", StringComparison.OrdinalIgnoreCase)
            ? text.Replace("Sept", "Sep", StringComparison.OrdinalIgnoreCase)
            : text;
        if (DateOnly.TryParseExact(months, MonthNameFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var named))
        {
            return Normalised<DateOnly>.Changed(named, "date.month_name", "text with month name", Iso);
        }

        return Normalised<DateOnly>.Rejected("date.unreadable", "text", "not a date");
    }

    private static Normalised<DateOnly> DayFirst(int first, int second, int year) =>
        second > 12 && first <= 12
            ? Build(year, first, second, "date.mdy", "text m/d/yyyy", unchanged: false)
            : Build(year, second, first, "date.dmy", "text dd/mm/yyyy", unchanged: false);

    private static Normalised<DateOnly> MonthFirst(int first, int second, int twoDigitYear)
    {
        var year = twoDigitYear < 50 ? 2000 + twoDigitYear : 1900 + twoDigitYear;
        return first > 12 && second <= 12
            ? Build(year, second, first, "date.dmy", "text dd/mm/yy", unchanged: false)
            : Build(year, first, second, "date.mdy", "text m/d/yy", unchanged: false);
    }

    private static Normalised<DateOnly> Build(int year, int month, int day, string ruleId, string inputClass, bool unchanged)
    {
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return Normalised<DateOnly>.Rejected("date.impossible", inputClass, "impossible date");
        }

        var date = new DateOnly(year, month, day);
        return unchanged
            ? Normalised<DateOnly>.Same(date, ruleId, Iso)
            : Normalised<DateOnly>.Changed(date, ruleId, inputClass, Iso);
    }

    /// <summary>Where a date ends before a trailing " HH:MM" or " HH:MM:SS" (not after an ISO date, read apart); 0 when there is none.</summary>
    private static int TrailingTime(string text)
    {
        var space = text.LastIndexOf(' ');
        if (space < 6) return 0;
        var time = text.AsSpan(space + 1);
        var colon = time.IndexOf(':');
        if (colon is < 1 or > 2 || time.Length - colon - 1 is not (2 or 5)) return 0;
        foreach (var c in time)
        {
            if (!char.IsAsciiDigit(c) && c != ':') return 0;
        }

        return text.AsSpan(0, space).TrimEnd().Length;
    }

    private static Normalised<DateOnly> ParseSerial(string text, string ruleId, string inputClass)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial) || !double.IsFinite(serial))
        {
            return Normalised<DateOnly>.Rejected("date.unreadable", inputClass, "not a date");
        }

        // A fraction is a time of day; the date is the whole part. Day 1 is 1900-01-01 and the largest
        // serial Excel accepts is 9999-12-31. Excel counts a 29 February 1900 that never was (day 60), so days
        // before it are one later than the epoch used from day 61 on, and day 60 itself is no date.
        var days = Math.Floor(serial);
        if (days < 1 || days > 2_958_465 || days == 60)
        {
            return Normalised<DateOnly>.Rejected("date.impossible", inputClass, "impossible date");
        }

        var date = days < 60 ? ExcelEpoch.AddDays((int)days + 1) : ExcelEpoch.AddDays((int)days);
        return Normalised<DateOnly>.Changed(date, ruleId, inputClass, Iso);
    }

    private static bool TrySplitNumeric(string text, out int first, out int second, out int year, out int yearDigits)
    {
        first = second = year = yearDigits = 0;
        var separator = text.IndexOfAny(['/', '.', '-']);
        if (separator is < 1 or > 2)
        {
            return false;
        }

        var sep = text[separator];
        var next = text.IndexOf(sep, separator + 1);
        if (next < 0 || next - separator - 1 is < 1 or > 2)
        {
            return false;
        }

        yearDigits = text.Length - next - 1;
        if (yearDigits is not (2 or 4)
            || !AllDigits(text, 0, separator) || !AllDigits(text, separator + 1, next - separator - 1) || !AllDigits(text, next + 1, yearDigits))
        {
            return false;
        }

        first = Int(text, 0, separator);
        second = Int(text, separator + 1, next - separator - 1);
        year = Int(text, next + 1, yearDigits);
        return true;
    }

    private static bool AllDigits(string text, int start, int length)
    {
        if (length == 0)
        {
            return false;
        }

        for (var i = start; i < start + length; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static int Int(string text, int start, int length) =>
        int.Parse(text.AsSpan(start, length), NumberStyles.None, CultureInfo.InvariantCulture);
}
