using System.Globalization;

namespace Nccid.Batch.Clinical;

/// <summary>
/// Reads the fraction of inspired oxygen (0.21 to 1). A fraction is kept; a percentage ("35%", or a bare
/// number from 21 to 100) is divided by 100; an oxygen flow in litres per minute ("10L", "2 l/min",
/// "4 litres", or a bare number above 1 and at most 15) is converted with the low-flow rule of thumb
/// FiO2 ≈ 0.21 + 0.04 × L/min (room air plus about 4 % per litre), rounded to two decimals and capped at 1;
/// "room air", "RA" and "on air" are 0.21.
/// That is an estimate: the real fraction depends on the device and the patient's breathing, and the change
/// record says the value was estimated from a flow.
/// </summary>
public static class FiO2Normaliser
{
    /// <summary>Room air.</summary>
    public const double RoomAir = 0.21;

    /// <summary>Fraction added per litre per minute of low-flow oxygen.</summary>
    public const double PerLitre = 0.04;

    private const string Fraction = "fraction";
    private static readonly string[] LitreUnits = ["l", "lmin", "l/min", "litres", "liters", "litre", "liter", "lpm", "litres/min", "litre/min"];

    /// <summary>The estimated fraction for a low-flow oxygen rate.</summary>
    public static double FromLitres(double litresPerMinute) => Math.Min(1, Math.Round(RoomAir + (PerLitre * litresPerMinute), 2));

    /// <summary>Normalises one raw FiO2 value.</summary>
    public static Normalised<double> Normalise(ClinicalInput input)
    {
        if (input.Kind == ClinicalInputKind.Null)
        {
            return Normalised<double>.Blank("fio2.null", "null");
        }

        if (input.IsBlank)
        {
            return Normalised<double>.Blank("fio2.blank", "blank text");
        }

        if (input.Kind == ClinicalInputKind.Number)
        {
            return input.TryGetNumber(out var number) ? Bare(number, "JSON number", json: true) : Reject("JSON number");
        }

        var text = input.Text.Trim();
        if (TextKey.Fold(text) is "ra" or "roomair" or "air" or "onair")
        {
            return Normalised<double>.Changed(RoomAir, "fio2.room_air", "room air", Fraction);
        }

        var end = 0;
        while (end < text.Length && (char.IsAsciiDigit(text[end]) || text[end] is '.' or ','))
        {
            end++;
        }

        if (end == 0 || !double.TryParse(text.AsSpan(0, end).ToString().Replace(',', '.'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return Reject("text");
        }

        var unit = TextKey.FoldUnit(text[end..]);
        if (unit.Length == 0)
        {
            return Bare(value, "text number", json: false);
        }

        if (unit == "%")
        {
            return value is >= 21 and <= 100
                ? Normalised<double>.Changed(value / 100, "fio2.percent", "percentage", Fraction)
                : Reject("percentage");
        }

        return Array.IndexOf(LitreUnits, unit) >= 0
            ? Litres(value, "oxygen flow in litres/min")
            : Reject("number with an unrecognised unit");
    }

    private static Normalised<double> Bare(double value, string inputClass, bool json)
    {
        if (value is >= RoomAir and <= 1)
        {
            return json
                ? Normalised<double>.Same(value, "fio2.fraction", Fraction)
                : Normalised<double>.Changed(value, "fio2.fraction_text", inputClass + " fraction", Fraction);
        }

        if (value is > 1 and <= 15)
        {
            return Litres(value, inputClass + " read as oxygen flow in litres/min");
        }

        return value is >= 21 and <= 100
            ? Normalised<double>.Changed(value / 100, "fio2.percent", inputClass + " read as percentage", Fraction)
            : Reject(inputClass + " outside every FiO2 form");
    }

    private static Normalised<double> Litres(double litres, string inputClass) =>
        litres is > 0 and <= 60
            ? Normalised<double>.Changed(FromLitres(litres), "fio2.litres", inputClass, "fraction estimated from the flow (room air plus 4 % per litre/min)")
            : Reject(inputClass);

    private static Normalised<double> Reject(string inputClass) =>
        Normalised<double>.Rejected("fio2.unreadable", inputClass, "not an FiO2 value");
}
