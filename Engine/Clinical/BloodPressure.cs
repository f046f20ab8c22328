namespace Nccid.Batch.Clinical;

/// <summary>Splits a blood pressure written as one cell, "137/91" or "137/91 mmHg", into its two numbers.</summary>
internal static class BloodPressure
{
    private static readonly IReadOnlyList<UnitAlias> Units = [new("mmHg", ["mmHg", "mm Hg"])];

    /// <summary>False when the input is not text with one '/' between two readable numbers.</summary>
    public static bool TrySplit(ClinicalInput input, out Normalised<double> systolic, out double? diastolic)
    {
        systolic = default;
        diastolic = null;
        if (input.Kind != ClinicalInputKind.Text)
        {
            return false;
        }

        var slash = input.Text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || input.Text.IndexOf('/', slash + 1) >= 0)
        {
            return false;
        }

        var high = NumberNormaliser.Normalise(ClinicalInput.FromText(input.Text[..slash]), Units);
        var low = NumberNormaliser.Normalise(ClinicalInput.FromText(input.Text[(slash + 1)..]), Units);
        if (!high.HasValue || !low.HasValue)
        {
            return false;
        }

        systolic = Normalised<double>.Changed(high.Value, "bp.split", "systolic/diastolic text", "number in mmHg");
        diastolic = low.Value;
        return true;
    }
}
