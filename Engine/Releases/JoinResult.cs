namespace Nccid.Batch.Releases;

/// <summary>What the imaging–outcomes join produced besides its tables.</summary>
/// <param name="Orphans">Orphan rows written.</param>
/// <param name="ExtraQuarantined">
/// Instances the join added to the quarantine table: identical copies released once, and images outside the collection
/// windows (when the job excludes them).
/// </param>
/// <param name="Studies">What the documents count of the released studies.</param>
public sealed record JoinResult(long Orphans, long ExtraQuarantined, StudyTally Studies)
{
    /// <summary>Chunks of the instances table replayed from the join state, their rows not read back (see <see cref="JoinState"/>).</summary>
    public int ChunksReplayed { get; init; }
}
