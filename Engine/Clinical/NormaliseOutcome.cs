namespace Nccid.Batch.Clinical;

/// <summary>What a normaliser did with one raw value.</summary>
public enum NormaliseOutcome
{
    /// <summary>The value was already in its clean form; nothing to record.</summary>
    Unchanged,

    /// <summary>The value was converted to its clean form; the change is recorded.</summary>
    Changed,

    /// <summary>The value was blank (empty text or an explicit "unknown") and becomes null; recorded when it was text.</summary>
    Blank,

    /// <summary>The value could not be read or is impossible; it becomes null and the rejection is recorded.</summary>
    Rejected,
}
