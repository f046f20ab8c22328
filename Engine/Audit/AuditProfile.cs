namespace Nccid.Batch.Audit;

/// <summary>
/// What an audit checks and what its findings do: the de-identification options claimed, rule overrides,
/// thresholds and the gate. Immutable; built-in profiles or a JSON file (see <see cref="AuditProfileLoader"/>).
/// </summary>
public sealed record AuditProfile
{
    /// <summary>The Basic Application Level Confidentiality Profile with no options: the strictest reading.</summary>
    public static AuditProfile Basic { get; } = new() { Name = "basic" };

    /// <summary>
    /// What the NCCID's submitting sites were asked to do: the Basic Profile with Retain Longitudinal Temporal
    /// Information with Modified Dates, keeping StudyDate and AcquisitionDate, and the birth date reset to
    /// 1 January of the birth year. The collection also kept the patient's sex and age (the clinical data is completed
    /// from them), and the device, so those options are claimed too.
    /// </summary>
    public static AuditProfile Nccid { get; } = new()
    {
        Name = "nccid",
        Deidentification = new DeidentificationOptions
        {
            RetainModifiedDates = true,
            RetainPatientCharacteristics = true,
            RetainDeviceIdentity = true,
            KeepAttributes = ["StudyDate", "AcquisitionDate", "PatientBirthDate"],
            BirthDateAsFirstOfJanuary = true,
        },
    };

    /// <summary>The profile's name, recorded with every run.</summary>
    public string Name { get; init; } = "custom";

    /// <summary>The de-identification options claimed.</summary>
    public DeidentificationOptions Deidentification { get; init; } = new();

    /// <summary>Per-rule switches and severities, by rule id.</summary>
    public IReadOnlyDictionary<string, RuleOverride> Rules { get; init; } = new Dictionary<string, RuleOverride>(StringComparer.Ordinal);

    /// <summary>Largest allowed deviation of CT slice spacing from the median, in millimetres.</summary>
    public double SliceSpacingToleranceMm { get; init; } = 0.1;

    /// <summary>What blocks and what quarantines.</summary>
    public GatePolicy Gate { get; init; } = new();

    /// <summary>Looks up a built-in profile by name (basic, nccid), or null.</summary>
    public static AuditProfile? BuiltIn(string name) => name switch
    {
        "basic" => Basic,
        "nccid" => Nccid,
        _ => null,
    };

    /// <summary>True when the rule is switched on; the severity it reports with.</summary>
    public bool TryResolve(AuditRule rule, out Severity severity)
    {
        ArgumentNullException.ThrowIfNull(rule);
        severity = rule.Severity;
        if (!Rules.TryGetValue(rule.Id, out var change)) return true;
        if (!change.Enabled) return false;
        severity = change.Severity ?? rule.Severity;
        return true;
    }
}
