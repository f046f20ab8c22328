namespace Nccid.Batch.Tables;

/// <summary>The <c>quarantine</c> table.</summary>
public static class QuarantineTable
{
    /// <summary>The schema.</summary>
    public static TableSchema<QuarantineRow> Schema { get; } = new TableSchemaBuilder<QuarantineRow>("quarantine",
            "Instances and clinical records left out of the analyst tables because a finding reached the profile's quarantine " +
            "severity, with the rules that put them here. Nothing is dropped silently: every left-out item is a row here.")
        .RequiredString("path", "Path of the file or clinical record", r => r.Path)
        .String("sop_instance_uid", "(0008,0018) SOP Instance UID, when known", r => r.SopInstanceUid)
        .RequiredString("kind", "instance or clinical_record", r => r.Kind)
        .StringList("rule_ids", "The rules whose findings quarantined it, sorted", r => r.RuleIds)
        .RequiredString("severity", "The highest severity among those findings", r => r.Severity)
        .Build();

    /// <summary>The table's row order: path, then kind, each ordinal.</summary>
    public static IComparer<QuarantineRow> Order { get; } = Comparer<QuarantineRow>.Create(static (a, b) =>
    {
        var c = string.CompareOrdinal(a.Path, b.Path);
        return c != 0 ? c : string.CompareOrdinal(a.Kind, b.Kind);
    });
}
