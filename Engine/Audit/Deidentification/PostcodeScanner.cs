using System.Collections.Frozen;

namespace Nccid.Batch.Audit.Deidentification;

/// <summary>
/// Finds UK postcodes by Royal Mail's format: an outward code, which is one of the postcode areas in use followed
/// by a district (A9, A99, A9A, AA9, AA99 or AA9A shapes), and an inward code, a digit and two letters. The inward
/// letters are never C, I, K, M, O or V, and a district's trailing letter comes from the few Royal Mail uses. That
/// is what sets "SW1A 1AA" apart from the slice thicknesses and sequence names of series descriptions ("AX T2 5MM",
/// "LUNG B70 1MM", "FC13 1MM"). One case throughout, upper or lower; spaces (or no-break spaces) between the two
/// codes, or none for the longer shapes; standing as a word of its own.
/// </summary>
internal static class PostcodeScanner
{
    /// <summary>The postcode areas in use (Great Britain, Northern Ireland, the Channel Islands and the Isle of Man).</summary>
    private static readonly FrozenSet<string> Areas = FrozenSet.ToFrozenSet(
    [
        "AB", "AL", "B", "BA", "BB", "BD", "BH", "BL", "BN", "BR", "BS", "BT", "CA", "CB", "CF", "CH", "CM", "CO", "CR", "CT",
        "CV", "CW", "DA", "DD", "DE", "DG", "DH", "DL", "DN", "DT", "DY", "E", "EC", "EH", "EN", "EX", "FK", "FY", "G", "GL",
        "GU", "GY", "HA", "HD", "HG", "HP", "HR", "HS", "HU", "HX", "IG", "IM", "IP", "IV", "JE", "KA", "KT", "KW", "KY", "L",
        "LA", "LD", "LE", "LL", "LN", "LS", "LU", "M", "ME", "MK", "ML", "N", "NE", "NG", "NN", "NP", "NR", "NW", "OL", "OX",
        "PA", "PE", "PH", "PL", "PO", "PR", "RG", "RH", "RM", "S", "SA", "SE", "SG", "SK", "SL", "SM", "SN", "SO", "SP", "SR",
        "SS", "ST", "SW", "SY", "TA", "TD", "TF", "TN", "TQ", "TR", "TS", "TW", "UB", "W", "WA", "WC", "WD", "WF", "WN", "WR",
        "WS", "WV", "YO", "ZE",
    ], StringComparer.Ordinal);

    private const string InwardLetters = "ABDEFGHJLNPQRSTUWXYZ";
    private const string DistrictLetterAfterOneLetterArea = "ABCDEFGHJKPSTUW";
    private const string DistrictLetterAfterTwoLetterArea = "ABEHMNPRVWXY";

    /// <summary>Finds the next postcode at or after <paramref name="start"/>.</summary>
    public static bool TryFindNext(ReadOnlySpan<char> text, int start, out int matchStart, out int matchLength)
    {
        for (var i = start; i < text.Length; i++)
        {
            if (!char.IsAsciiLetter(text[i])) continue;
            if (i > 0 && char.IsAsciiLetterOrDigit(text[i - 1])) continue;
            var length = Match(text, i, char.IsAsciiLetterUpper(text[i]));
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

    private static int Match(ReadOnlySpan<char> text, int at, bool upper)
    {
        var pos = at;
        Span<char> area = stackalloc char[2];
        var letters = 0;
        while (pos < text.Length && letters < 2 && IsLetter(text[pos], upper)) area[letters++] = char.ToUpperInvariant(text[pos++]);
        if (!Areas.GetAlternateLookup<ReadOnlySpan<char>>().Contains(area[..letters])) return 0;

        var digits = 0;
        while (pos < text.Length && digits < 2 && char.IsAsciiDigit(text[pos]))
        {
            pos++;
            digits++;
        }

        if (digits == 0) return 0;

        // A9A and AA9A: one digit, then one of the letters Royal Mail gives districts, unless it starts the inward code.
        var districtLetters = letters == 1 ? DistrictLetterAfterOneLetterArea : DistrictLetterAfterTwoLetterArea;
        if (digits == 1 && pos < text.Length && IsLetter(text[pos], upper) && districtLetters.Contains(char.ToUpperInvariant(text[pos])))
        {
            pos++;
        }

        var gap = pos;
        while (pos < text.Length && pos - gap < 3 && text[pos] is ' ' or '\u00A0') pos++;
        var spaced = pos > gap;
        if (!IsInward(text, pos, upper)) return 0;
        pos += 3;
        if (pos < text.Length && char.IsAsciiLetterOrDigit(text[pos])) return 0;

        // Without a space, ask for the longer shapes only: short runs like "A12BC" are too often codes.
        if (!spaced && pos - at < 6) return 0;
        return pos - at;
    }

    private static bool IsLetter(char c, bool upper) => upper ? char.IsAsciiLetterUpper(c) : char.IsAsciiLetterLower(c);

    private static bool IsInward(ReadOnlySpan<char> text, int pos, bool upper) =>
        pos + 2 < text.Length && char.IsAsciiDigit(text[pos])
        && IsLetter(text[pos + 1], upper) && InwardLetters.Contains(char.ToUpperInvariant(text[pos + 1]))
        && IsLetter(text[pos + 2], upper) && InwardLetters.Contains(char.ToUpperInvariant(text[pos + 2]));
}
