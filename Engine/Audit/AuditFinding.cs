namespace Nccid.Batch.Audit;

/// <summary>
/// One finding: which rule, where in the header, and a detail that never contains the value found (for
/// identifiers it says what kind and where, e.g. <c>NHS number at chars 12–21</c>).
/// </summary>
/// <param name="Rule">The rule that fired.</param>
/// <param name="Severity">Severity after the profile's overrides.</param>
/// <param name="Path">The file's path, as in the instances table.</param>
/// <param name="SopInstanceUid">The instance's SOP Instance UID, when known.</param>
/// <param name="TagPath">Where: <c>(0008,0090)</c> or <c>(0040,0275)[0].(0032,1060)</c>; empty for whole-file findings.</param>
/// <param name="Detail">Masked explanation.</param>
public sealed record AuditFinding(AuditRule Rule, Severity Severity, string Path, string? SopInstanceUid, string TagPath, string Detail)
{
    /// <summary>The centre a collection rule's finding is counted under (null for per-instance findings: the instance's own).</summary>
    internal string? Centre { get; init; }
}
