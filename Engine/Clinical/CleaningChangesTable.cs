using Nccid.Batch.Tables;

namespace Nccid.Batch.Clinical;

/// <summary>The <c>clinical_changes</c> table: one row per change the cleaner made.</summary>
public static class CleaningChangesTable
{
    /// <summary>The schema.</summary>
    public static TableSchema<CleaningChange> Schema { get; } = new TableSchemaBuilder<CleaningChange>("clinical_changes",
            "One row per change the clinical cleaner made to a value of a record used in `patients`, in patient order and then " +
            "rule-table order. Values are described by their class (e.g. 'text dd/mm/yyyy' → 'ISO date'), never quoted.")
        .RequiredString("pseudonym", "The patient", c => c.Pseudonym)
        .RequiredString("source_path", "The file (or CSV file and ':line') the value came from, relative to the clinical root", c => c.SourcePath)
        .RequiredString("field", "The patients column affected, or 'extra_fields' for unknown fields", c => c.Field)
        .RequiredString("rule_id", "The cleaning rule applied, e.g. 'date.dmy' (see docs/clinical.md)", c => c.RuleId)
        .RequiredString("before", "Class of the raw value, e.g. 'text dd/mm/yyyy'", c => c.Before)
        .RequiredString("after", "Class of the clean value, e.g. 'ISO date', or 'null (reason)'", c => c.After)
        .Build();
}
