using Nccid.Batch.Tables;

namespace Nccid.Batch.Audit;

/// <summary>One scanned and audited file: its instances row, its facts for the collection rules, and its findings.</summary>
/// <param name="Row">The instances row.</param>
/// <param name="Facts">Facts for rules that span files.</param>
/// <param name="Findings">Findings of the per-instance rules.</param>
public sealed record AuditedInstance(InstanceRow Row, InstanceFacts Facts, AuditFinding[] Findings)
{
    /// <summary>True when the instance was taken unchanged from a scan index rather than read (see <see cref="PartChunker"/>).</summary>
    public bool FromIndex { get; init; }
}
