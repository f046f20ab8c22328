namespace Nccid.Batch.Audit;

/// <summary>A profile's change to one rule: switch it off, or give it another severity.</summary>
/// <param name="Enabled">False switches the rule off.</param>
/// <param name="Severity">Replaces the rule's default severity when set.</param>
public sealed record RuleOverride(bool Enabled = true, Severity? Severity = null);
