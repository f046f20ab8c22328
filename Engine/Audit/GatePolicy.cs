namespace Nccid.Batch.Audit;

/// <summary>
/// What a finding does to a release: block it (the run fails its gate), or quarantine the affected instances
/// (they are left out of analyst tables and listed with their reasons).
/// </summary>
public sealed record GatePolicy
{
    /// <summary>De-identification findings at or above this severity block the release (default: critical).</summary>
    public Severity? BlockDeidentificationAt { get; init; } = Severity.Critical;

    /// <summary>Quality findings at or above this severity block the release (default: none do).</summary>
    public Severity? BlockQualityAt { get; init; }

    /// <summary>Instances with a quality finding at or above this severity are quarantined (default: error).</summary>
    public Severity? QuarantineQualityAt { get; init; } = Severity.Error;

    /// <summary>Instances with a de-identification finding at or above this severity are quarantined (default: error).</summary>
    public Severity? QuarantineDeidentificationAt { get; init; } = Severity.Error;

    /// <summary>Rule ids that block whatever their severity.</summary>
    public IReadOnlyList<string> BlockRules { get; init; } = [];

    /// <summary>True when <paramref name="finding"/> blocks the release under this policy.</summary>
    public bool Blocks(AuditFinding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        if (BlockRules.Contains(finding.Rule.Id)) return true;
        var threshold = finding.Rule.Category == RuleCategory.Deidentification ? BlockDeidentificationAt : BlockQualityAt;
        return threshold is { } t && finding.Severity >= t;
    }

    /// <summary>True when <paramref name="finding"/> quarantines its instance.</summary>
    public bool Quarantines(AuditFinding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        var threshold = finding.Rule.Category == RuleCategory.Deidentification ? QuarantineDeidentificationAt : QuarantineQualityAt;
        return threshold is { } t && finding.Severity >= t;
    }
}
