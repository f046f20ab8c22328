namespace Nccid.Batch.Clinical;

/// <summary>
/// One change the cleaner made to a clinical value, described by classes of values ("text dd/mm/yyyy" →
/// "ISO date"), never by the value itself, which may identify the patient. One row of <c>clinical_changes</c>.
/// </summary>
/// <param name="Pseudonym">The patient.</param>
/// <param name="SourcePath">The file (or CSV file and line) the value came from.</param>
/// <param name="Field">The <c>patients</c> column affected, or <c>extra_fields</c> for unknown fields.</param>
/// <param name="RuleId">The rule applied, e.g. <c>date.dmy</c>.</param>
/// <param name="Before">The class of the raw value.</param>
/// <param name="After">The class of the clean value.</param>
public sealed record CleaningChange(string Pseudonym, string SourcePath, string Field, string RuleId, string Before, string After)
{
    /// <summary>"before → after".</summary>
    public string Description => Before + " → " + After;
}
