namespace Nccid.Batch.Audit;

/// <summary>Which findings table a rule writes to.</summary>
public enum RuleCategory
{
    /// <summary>Is the data usable: conformance, consistency, duplicates, completeness.</summary>
    Quality,

    /// <summary>Is the data free of identifiers: PS3.15 profile and residual identifiers.</summary>
    Deidentification,
}
