namespace Nccid.Batch.Clinical;

/// <summary>
/// One unit a numeric field may be given in, with the conversion to the field's canonical unit
/// (<c>clean = raw × Factor + Offset</c>). A bare number (no unit written) is read in this unit when it is
/// above <see cref="BareAbove"/> or below <see cref="BareBelow"/>: values that are impossible in the
/// canonical unit but typical in this one.
/// </summary>
/// <param name="Name">The unit as documented, e.g. <c>cells/µL</c>.</param>
/// <param name="Spellings">How the unit is written in submissions (matched ignoring case, spaces and µ/u).</param>
/// <param name="Factor">Multiplier to the canonical unit.</param>
/// <param name="Offset">Added after the multiplier (only temperature needs one).</param>
/// <param name="BareAbove">A bare number above this is taken to be in this unit.</param>
/// <param name="BareBelow">A bare number below this is taken to be in this unit.</param>
public sealed record UnitAlias(
    string Name,
    IReadOnlyList<string> Spellings,
    double Factor = 1,
    double Offset = 0,
    double? BareAbove = null,
    double? BareBelow = null)
{
    /// <summary>True for the canonical unit itself (no conversion).</summary>
    public bool IsCanonical => Factor == 1 && Offset == 0;

    /// <summary>Converts a value in this unit to the canonical unit.</summary>
    public double ToCanonical(double value) => (value * Factor) + Offset;
}
