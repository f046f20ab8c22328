namespace Nccid.Batch.Audit;

/// <summary>
/// Rules that span files (series, study, patient, release): they observe every instance's facts in path order
/// on one thread, then report at the end.
/// </summary>
public interface ICollectionCheck
{
    /// <summary>The rules this check can report.</summary>
    IReadOnlyList<AuditRule> Rules { get; }

    /// <summary>Observes one instance (called in path order, on one thread).</summary>
    void Observe(InstanceFacts facts);

    /// <summary>
    /// Reports the findings over everything observed, in a deterministic order. Runs at the same time as the other
    /// checks' <see cref="CompleteAsync"/>, each with a collector of its own, so a check shares no state with another.
    /// </summary>
    ValueTask CompleteAsync(CollectionContext context, FindingCollector findings, CancellationToken cancellationToken);
}
