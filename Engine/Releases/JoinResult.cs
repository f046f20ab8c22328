using Nccid.Batch.Tables;

namespace Nccid.Batch.Releases;

/// <summary>What the imaging–outcomes join produced besides its tables.</summary>
/// <param name="Orphans">Orphan rows written.</param>
/// <param name="ExtraQuarantine">Instances excluded by the collection windows (when the job excludes them).</param>
/// <param name="Studies">What the documents count of the released studies.</param>
public sealed record JoinResult(long Orphans, IReadOnlyList<QuarantineRow> ExtraQuarantine, StudyTally Studies);
