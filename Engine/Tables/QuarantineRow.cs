namespace Nccid.Batch.Tables;

/// <summary>One instance (or clinical record) left out of the analyst tables, with the reasons.</summary>
public sealed class QuarantineRow
{
    /// <summary>The file's path (or the clinical record's path).</summary>
    public string Path { get; set; } = string.Empty;

    /// <summary>The SOP Instance UID, when known.</summary>
    public string? SopInstanceUid { get; set; }

    /// <summary>instance or clinical_record.</summary>
    public string Kind { get; set; } = "instance";

    /// <summary>The rule ids that quarantined it, sorted.</summary>
    public IReadOnlyList<string> RuleIds { get; set; } = [];

    /// <summary>The highest severity among them.</summary>
    public string Severity { get; set; } = string.Empty;
}
