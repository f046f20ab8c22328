using System.Globalization;

namespace Nccid.Batch.Audit.Quality;

/// <summary>
/// Syntax of single values of the string VRs (PS3.5 Table 6.2-1), over raw bytes: no strings, no allocation.
/// Each method takes one value, already split at backslashes and stripped of padding.
/// </summary>
internal static class VrSyntax
{
    /// <summary>DA: YYYYMMDD, a real calendar date.</summary>
    public static bool IsDate(ReadOnlySpan<byte> v, out int year, out int month, out int day)
    {
        year = month = day = 0;
        if (v.Length != 8 || !AllDigits(v)) return false;
        year = Number(v[..4]);
        month = Number(v.Slice(4, 2));
        day = Number(v.Slice(6, 2));
        return year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month);
    }

    /// <summary>TM: HH[MM[SS[.F{1,6}]]], at most 14 characters.</summary>
    public static bool IsTime(ReadOnlySpan<byte> v) => v.Length <= 14 && IsTimeBody(v);

    /// <summary>
    /// DT: YYYY[MM[DD[HH[MM[SS[.F{1,6}]]]]]][&amp;ZZXX], at most 26 characters; gives the year and, when present,
    /// month and day (1 when absent) so the caller can test the date's range.
    /// </summary>
    public static bool IsDateTime(ReadOnlySpan<byte> v, out int year, out int month, out int day)
    {
        year = 0;
        month = day = 1;
        if (v.Length is < 4 or > 26) return false;
        var sign = v.IndexOfAny((byte)'+', (byte)'-');
        var body = v;
        if (sign >= 0)
        {
            var zone = v[(sign + 1)..];
            if (zone.Length != 4 || !AllDigits(zone) || Number(zone[..2]) > 14 || Number(zone[2..]) > 59) return false;
            body = v[..sign];
        }

        if (body.Length < 4 || !AllDigits(body[..4])) return false;
        year = Number(body[..4]);
        var rest = body[4..];
        if (rest.IsEmpty) return true;
        if (rest.Length < 2 || !AllDigits(rest[..2])) return false;
        month = Number(rest[..2]);
        if (month is < 1 or > 12) return false;
        rest = rest[2..];
        if (rest.IsEmpty) return true;
        if (rest.Length < 2 || !AllDigits(rest[..2])) return false;
        day = Number(rest[..2]);
        if (day < 1 || day > DateTime.DaysInMonth(Math.Max(1, year), month)) return false;
        rest = rest[2..];
        return rest.IsEmpty || IsTimeBody(rest);
    }

    /// <summary>AS: three digits and one of D, W, M, Y.</summary>
    public static bool IsAge(ReadOnlySpan<byte> v) =>
        v.Length == 4 && AllDigits(v[..3]) && v[3] is (byte)'D' or (byte)'W' or (byte)'M' or (byte)'Y';

    /// <summary>UI: at most 64 characters, dot-separated components of digits, none empty, none zero-led (except "0").</summary>
    public static bool IsUid(ReadOnlySpan<byte> v)
    {
        if (v.IsEmpty || v.Length > 64) return false;
        var componentStart = 0;
        for (var i = 0; i <= v.Length; i++)
        {
            if (i == v.Length || v[i] == (byte)'.')
            {
                var length = i - componentStart;
                if (length == 0) return false;
                if (length > 1 && v[componentStart] == (byte)'0') return false;
                componentStart = i + 1;
                continue;
            }

            if (v[i] is < (byte)'0' or > (byte)'9') return false;
        }

        return true;
    }

    /// <summary>DS: at most 16 characters of a fixed or floating point decimal.</summary>
    public static bool IsDecimal(ReadOnlySpan<byte> v)
    {
        if (v.IsEmpty || v.Length > 16) return false;
        foreach (var b in v)
        {
            if (b is not ((>= (byte)'0' and <= (byte)'9') or (byte)'+' or (byte)'-' or (byte)'.' or (byte)'e' or (byte)'E')) return false;
        }

        return double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d);
    }

    /// <summary>IS: at most 12 characters, an optional sign and digits, within a signed 32-bit integer.</summary>
    public static bool IsInteger(ReadOnlySpan<byte> v)
    {
        if (v.IsEmpty || v.Length > 12) return false;
        var digits = v[0] is (byte)'+' or (byte)'-' ? v[1..] : v;
        if (digits.IsEmpty || !AllDigits(digits)) return false;
        long n = 0;
        foreach (var b in digits) n = (n * 10) + (b - '0');
        if (v[0] == (byte)'-') n = -n;
        return n is >= int.MinValue and <= int.MaxValue;
    }

    /// <summary>CS: at most 16 characters of A-Z, 0-9, space and underscore.</summary>
    public static bool IsCodeString(ReadOnlySpan<byte> v)
    {
        if (v.Length > 16) return false;
        foreach (var b in v)
        {
            if (b is not ((>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9') or (byte)' ' or (byte)'_')) return false;
        }

        return true;
    }

    /// <summary>PN structure: at most three '='-separated groups of at most five '^'-separated components.</summary>
    public static bool IsPersonNameStructure(ReadOnlySpan<byte> v)
    {
        var groups = 1;
        var components = 1;
        foreach (var b in v)
        {
            if (b == (byte)'=')
            {
                if (++groups > 3) return false;
                components = 1;
            }
            else if (b == (byte)'^' && ++components > 5)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// True when the value holds a control character its VR forbids: ESC only (for ISO 2022 code extensions) in
    /// short text, and also TAB, LF, FF and CR in the long text VRs.
    /// </summary>
    public static bool HasForbiddenControl(ReadOnlySpan<byte> v, bool longText)
    {
        foreach (var b in v)
        {
            if (b >= 0x20 || b == 0x1B) continue;
            if (longText && b is 0x09 or 0x0A or 0x0C or 0x0D) continue;
            return true;
        }

        return false;
    }

    private static bool IsTimeBody(ReadOnlySpan<byte> v)
    {
        if (v.Length < 2 || !AllDigits(v[..2]) || Number(v[..2]) > 23) return false;
        var rest = v[2..];
        if (rest.IsEmpty) return true;
        if (rest.Length < 2 || !AllDigits(rest[..2]) || Number(rest[..2]) > 59) return false;
        rest = rest[2..];
        if (rest.IsEmpty) return true;
        if (rest.Length < 2 || !AllDigits(rest[..2]) || Number(rest[..2]) > 60) return false;
        rest = rest[2..];
        if (rest.IsEmpty) return true;
        return rest[0] == (byte)'.' && rest.Length is >= 2 and <= 7 && AllDigits(rest[1..]);
    }

    private static bool AllDigits(ReadOnlySpan<byte> v)
    {
        foreach (var b in v)
        {
            if (b is < (byte)'0' or > (byte)'9') return false;
        }

        return true;
    }

    private static int Number(ReadOnlySpan<byte> digits)
    {
        var n = 0;
        foreach (var b in digits) n = (n * 10) + (b - '0');
        return n;
    }
}
