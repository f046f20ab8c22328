namespace Nccid.Batch.Audit.Deidentification;

/// <summary>A row of Table E.1-1 as a profile applies it: the action in force and the rule that reports it.</summary>
/// <param name="Row">The table row.</param>
/// <param name="Rule">The rule <c>D-E1-&lt;Keyword&gt;</c>.</param>
/// <param name="Action">The action after the profile's options and kept attributes.</param>
/// <param name="AllowsPseudonym">True for PatientName and PatientID, which may hold the patient's pseudonym.</param>
/// <param name="FirstOfJanuaryOnly">True for PatientBirthDate when the profile keeps only 1 January of the birth year.</param>
internal sealed record ProfileEntry(BasicProfileRow Row, AuditRule Rule, ProfileAction Action, bool AllowsPseudonym, bool FirstOfJanuaryOnly);
