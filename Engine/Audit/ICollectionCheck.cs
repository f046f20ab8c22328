namespace Nccid.Batch.Audit;

/// <summary>
/// Rules that span files (series, study, patient, release): they observe instances' facts on one thread, then report at
/// the end. A check's findings on a group (a series, a study, a patient, the files of one SOP Instance UID) depend only
/// on the facts of the instances in that group, whatever order they were observed in, and each finding names an
/// instance of its group; so a run may observe only the groups a change touched, and keep the findings of the others
/// (see <see cref="AuditSink"/>).
/// </summary>
public interface ICollectionCheck
{
    /// <summary>The rules this check can report.</summary>
    IReadOnlyList<AuditRule> Rules { get; }

    /// <summary>Observes one instance (on one thread; any order).</summary>
    void Observe(InstanceFacts facts);

    /// <summary>
    /// Adds to <paramref name="keys"/> the keys of the groups <paramref name="facts"/> belongs to for this check
    /// (<see cref="CollectionKeys.Of"/>); none when the check passes it by.
    /// </summary>
    void AddGroupKeys(InstanceFacts facts, ICollection<ulong> keys);

    /// <summary>
    /// Reports the findings over everything observed, in a deterministic order. Runs at the same time as the other
    /// checks' <see cref="CompleteAsync"/>, each with a collector of its own, so a check shares no state with another.
    /// </summary>
    ValueTask CompleteAsync(CollectionContext context, FindingCollector findings, CancellationToken cancellationToken);
}
