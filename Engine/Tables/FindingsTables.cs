namespace Nccid.Batch.Tables;

/// <summary>The <c>quality_findings</c> and <c>deid_findings</c> tables, which share one schema.</summary>
public static class FindingsTables
{
    /// <summary>Quality findings: conformance, consistency, duplicates, completeness.</summary>
    public static TableSchema<FindingRow> Quality { get; } = Build("quality_findings",
        "One row per quality finding (conformance, consistency, duplicates, completeness). Rules are listed in docs/audits.md.");

    /// <summary>De-identification findings: PS3.15 profile and residual identifiers. The detail never holds the identifier.</summary>
    public static TableSchema<FindingRow> Deidentification { get; } = Build("deid_findings",
        "One row per de-identification finding (PS3.15 Annex E profile, residual identifiers in text). The detail says what " +
        "kind of identifier and where, never its value.");

    private static TableSchema<FindingRow> Build(string name, string description) => new TableSchemaBuilder<FindingRow>(name, description)
        .RequiredString("path", "Path of the file, as in the instances table", r => r.Path)
        .String("sop_instance_uid", "(0008,0018) SOP Instance UID of the instance, when known", r => r.SopInstanceUid)
        .RequiredString("scope", "What the rule looked at: file, instance, series, study, patient or release", r => r.Scope)
        .RequiredString("rule_id", "The rule's stable id, e.g. Q-PIXEL-001 or D-E1-PatientBirthDate", r => r.RuleId)
        .RequiredString("severity", "info, warning, error or critical (after the profile's overrides)", r => r.Severity)
        .RequiredString("tag_path", "Where in the header, e.g. (0008,0090) or (0040,0275)[0].(0032,1060); empty for the whole file", r => r.TagPath)
        .RequiredString("detail", "What was found, masked: never an identifier's value", r => r.Detail)
        .Build();
}
