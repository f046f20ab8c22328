namespace Nccid.Batch.Tables;

/// <summary>One row of a findings table: one finding of one rule on one file (or group of files).</summary>
public sealed class FindingRow
{
    /// <summary>The file's path, as in the instances table.</summary>
    public string Path { get; set; } = string.Empty;

    /// <summary>The instance's SOP Instance UID, when known.</summary>
    public string? SopInstanceUid { get; set; }

    /// <summary>file, instance, series, study, patient or release.</summary>
    public string Scope { get; set; } = string.Empty;

    /// <summary>The rule's stable id.</summary>
    public string RuleId { get; set; } = string.Empty;

    /// <summary>info, warning, error or critical.</summary>
    public string Severity { get; set; } = string.Empty;

    /// <summary>Where in the header, e.g. <c>(0040,0275)[0].(0032,1060)</c>.</summary>
    public string TagPath { get; set; } = string.Empty;

    /// <summary>Masked explanation; never an identifier.</summary>
    public string Detail { get; set; } = string.Empty;
}
