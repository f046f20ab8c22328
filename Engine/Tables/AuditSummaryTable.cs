namespace Nccid.Batch.Tables;

/// <summary>The <c>audit_summary</c> table: one row per submitting centre.</summary>
public static class AuditSummaryTable
{
    /// <summary>The schema.</summary>
    public static TableSchema<AuditSummaryRow> Schema { get; } = new TableSchemaBuilder<AuditSummaryRow>("audit_summary",
            "One row per submitting centre: files, unreadable files, findings and quarantined instances, sorted by centre.")
        .RequiredString("centre", "Submitting centre (the upload site in the drop-zone layout), 'unknown' when the layout does not say", r => r.Centre)
        .Int64("files", "Files scanned", r => r.Files)
        .Int64("error_files", "Files whose header could not be read", r => r.ErrorFiles)
        .Int64("quality_findings", "Quality findings", r => r.QualityFindings)
        .Int64("deid_findings", "De-identification findings", r => r.DeidFindings)
        .Int64("blocking_findings", "Findings that block the release under the profile's gate", r => r.BlockingFindings)
        .Int64("quarantined", "Instances quarantined", r => r.Quarantined)
        .Build();
}
