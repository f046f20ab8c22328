using System.Globalization;
using System.Text;

namespace Nccid.Batch.Clinical;

/// <summary>
/// Reads numbers sent as JSON numbers or as text: "36.6", "36,6" (decimal comma), "1,362" and "1,362.5"
/// (thousands separators: a comma followed by exactly three digits after a non-zero whole part), "1.234,5" (dots
/// for thousands before a decimal comma), a trailing
/// unit ("99 bpm", "4.2 x10^9/L") which must be one of the field's <see cref="UnitAlias"/> spellings and is
/// converted to the canonical unit, a bare number that is only plausible in another unit (a lymphocyte count of
/// 1200 is cells/µL: see <see cref="UnitAlias.BareAbove"/>), and censored values "&lt;5" / "&gt;6000", which
/// keep their bound.
/// </summary>
public static class NumberNormaliser
{
    /// <summary>Normalises one raw number for a field with <paramref name="units"/> (first = canonical; may be empty).</summary>
    public static Normalised<double> Normalise(ClinicalInput input, IReadOnlyList<UnitAlias> units)
    {
        ArgumentNullException.ThrowIfNull(units);
        switch (input.Kind)
        {
            case ClinicalInputKind.Null:
                return Normalised<double>.Blank("number.null", "null");
            case ClinicalInputKind.Boolean:
                return Normalised<double>.Rejected("number.unreadable", "JSON boolean", "not a number");
            case ClinicalInputKind.Number:
                return input.TryGetNumber(out var number) && double.IsFinite(number)
                    ? Bare(number, units, "JSON number", unchanged: true)
                    : Normalised<double>.Rejected("number.unreadable", "JSON number", "not a finite number");
        }

        if (input.IsBlank)
        {
            return Normalised<double>.Blank("number.blank", "blank text");
        }

        var text = input.Text.AsSpan().Trim();
        var censored = false;
        if (text.Length > 0 && text[0] is '<' or '>' or '≤' or '≥')
        {
            censored = true;
            text = text[1..].TrimStart();
            if (text.Length > 0 && text[0] == '=')
            {
                text = text[1..].TrimStart();
            }
        }

        var length = NumberLength(text);
        if (length == 0 || !TryParseNumber(text[..length], out var value, out var decimalComma))
        {
            return Normalised<double>.Rejected("number.unreadable", "text", "not a number");
        }

        var inputClass = new StringBuilder("text number");
        if (decimalComma)
        {
            inputClass.Append(" with decimal comma");
        }

        if (censored)
        {
            inputClass.Append(", censored at its bound");
        }

        var unitText = text[length..].Trim().ToString();
        if (unitText.Length == 0)
        {
            var bare = Bare(value, units, inputClass.ToString(), unchanged: false);
            return censored && bare.HasValue
                ? Normalised<double>.Changed(bare.Value, "number.censored", bare.InputClass, bare.OutputClass)
                : bare;
        }

        var folded = TextKey.FoldUnit(unitText);
        foreach (var unit in units)
        {
            foreach (var spelling in unit.Spellings)
            {
                if (string.Equals(TextKey.FoldUnit(spelling), folded, StringComparison.Ordinal))
                {
                    var ruleId = !unit.IsCanonical ? "number.unit_conversion" : censored ? "number.censored" : decimalComma ? "number.decimal_comma" : "number.unit";
                    return Normalised<double>.Changed(
                        unit.ToCanonical(value), ruleId, inputClass.Append(" in ").Append(unit.Name).ToString(), Canonical(units));
                }
            }
        }

        return Normalised<double>.Rejected("number.unit_unrecognised", inputClass.Append(" with an unrecognised unit").ToString(), "unit not accepted for this field");
    }

    private static Normalised<double> Bare(double value, IReadOnlyList<UnitAlias> units, string inputClass, bool unchanged)
    {
        foreach (var unit in units)
        {
            if (!unit.IsCanonical && ((unit.BareAbove is { } above && value > above) || (unit.BareBelow is { } below && value < below)))
            {
                return Normalised<double>.Changed(unit.ToCanonical(value), "number.implied_unit",
                    inputClass + " only plausible in " + unit.Name, Canonical(units));
            }
        }

        if (unchanged)
        {
            return Normalised<double>.Same(value, "number.json", Canonical(units));
        }

        return Normalised<double>.Changed(value, inputClass.Contains("decimal comma", StringComparison.Ordinal) ? "number.decimal_comma" : "number.text",
            inputClass, Canonical(units));
    }

    private static string Canonical(IReadOnlyList<UnitAlias> units) => units.Count == 0 ? "number" : "number in " + units[0].Name;

    private static int NumberLength(ReadOnlySpan<char> text)
    {
        var i = 0;
        if (i < text.Length && text[i] is '+' or '-')
        {
            i++;
        }

        var digits = 0;
        while (i < text.Length && (char.IsAsciiDigit(text[i]) || (text[i] is '.' or ',' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]))))
        {
            if (char.IsAsciiDigit(text[i]))
            {
                digits++;
            }

            i++;
        }

        return digits == 0 ? 0 : i;
    }

    private static bool TryParseNumber(ReadOnlySpan<char> token, out double value, out bool decimalComma)
    {
        decimalComma = false;
        var normalised = token.ToString();
        var comma = normalised.IndexOf(',', StringComparison.Ordinal);
        var dot = normalised.LastIndexOf('.');
        if (comma >= 0 && dot >= 0 && normalised.LastIndexOf(',') > dot)
        {
            // "1.234,5": dots group the thousands and the one comma, after them, is the decimal mark.
            var whole = normalised[..comma];
            if (normalised.IndexOf(',', comma + 1) >= 0 || !IsThousands(whole.Replace('.', ',')))
            {
                value = 0;
                return false;
            }

            normalised = whole.Replace(".", string.Empty, StringComparison.Ordinal) + "." + normalised[(comma + 1)..];
            decimalComma = true;
        }
        else if (comma >= 0)
        {
            if (dot >= 0 || IsThousands(normalised))
            {
                normalised = normalised.Replace(",", string.Empty, StringComparison.Ordinal);
            }
            else if (normalised.IndexOf(',', comma + 1) < 0)
            {
                normalised = normalised.Replace(',', '.');
                decimalComma = true;
            }
            else
            {
                value = 0;
                return false;
            }
        }

        return double.TryParse(normalised, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
    }

    private static bool IsThousands(string token)
    {
        // "1,362" and "12,000,000": every group after the first has exactly three digits and the first is not 0.
        var groups = token.TrimStart('+', '-').Split(',');
        if (groups[0].Length is < 1 or > 3 || groups[0][0] == '0')
        {
            return false;
        }

        for (var i = 1; i < groups.Length; i++)
        {
            if (groups[i].Length != 3)
            {
                return false;
            }
        }

        return true;
    }
}
