namespace Nccid.Batch.Audit;

/// <summary>One rule of the catalogue: a stable id, what it checks and where in the standard that comes from.</summary>
/// <param name="Id">Stable identifier, e.g. <c>Q-PIXEL-001</c> or <c>D-E1-PatientBirthDate</c>.</param>
/// <param name="Category">Quality or de-identification.</param>
/// <param name="Severity">Default severity (a profile may change it).</param>
/// <param name="Scope">What the rule looks at.</param>
/// <param name="Description">One line for people.</param>
/// <param name="Reference">The section or table of the standard (or the NCCID guidance) it comes from.</param>
public sealed record AuditRule(string Id, RuleCategory Category, Severity Severity, RuleScope Scope, string Description, string Reference);
