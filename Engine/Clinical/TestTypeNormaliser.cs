using System.Collections.Frozen;

namespace Nccid.Batch.Clinical;

/// <summary>
/// Reads the kind of COVID-19 test: RT-PCR (PCR, rt-pcr, RTPCR, swab PCR), Point of care PCR (POC PCR,
/// rapid PCR, POCT), Lateral flow antigen (LFT, LFD, antigen) and Antibody (serology). Other text is kept as
/// submitted, trimmed, and the change is recorded.
/// </summary>
public static class TestTypeNormaliser
{
    /// <summary>The canonical test types.</summary>
    public static IReadOnlyList<string> Canonical { get; } = ["RT-PCR", "Point of care PCR", "Lateral flow antigen", "Antibody"];

    private static readonly FrozenDictionary<string, string> Aliases = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["rtpcr"] = "RT-PCR", ["pcr"] = "RT-PCR", ["swabpcr"] = "RT-PCR", ["labpcr"] = "RT-PCR",
        ["pointofcarepcr"] = "Point of care PCR", ["pocpcr"] = "Point of care PCR", ["rapidpcr"] = "Point of care PCR",
        ["poct"] = "Point of care PCR", ["pointofcare"] = "Point of care PCR",
        ["lateralflowantigen"] = "Lateral flow antigen", ["lateralflow"] = "Lateral flow antigen", ["lft"] = "Lateral flow antigen",
        ["lfd"] = "Lateral flow antigen", ["antigen"] = "Lateral flow antigen",
        ["antibody"] = "Antibody", ["serology"] = "Antibody",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Normalises one raw test type.</summary>
    public static Normalised<string> Normalise(ClinicalInput input)
    {
        if (input.Kind == ClinicalInputKind.Null)
        {
            return Normalised<string>.Blank("test_type.null", "null");
        }

        if (input.IsBlank)
        {
            return Normalised<string>.Blank("test_type.blank", "blank text");
        }

        var text = input.Text.Trim();
        foreach (var canonical in Canonical)
        {
            if (string.Equals(canonical, text, StringComparison.Ordinal))
            {
                return Normalised<string>.Same(canonical, "test_type.canonical", "test type");
            }
        }

        return Aliases.TryGetValue(TextKey.Fold(text), out var alias)
            ? Normalised<string>.Changed(alias, "test_type.alias", "test type alias", "test type")
            : Normalised<string>.Changed(text, "test_type.unlisted", "unlisted test type", "text kept as submitted");
    }
}
