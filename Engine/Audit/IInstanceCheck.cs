namespace Nccid.Batch.Audit;

/// <summary>Rules that look at one instance at a time, run on the workers in the same pass as the scan.</summary>
public interface IInstanceCheck
{
    /// <summary>The rules this check can report.</summary>
    IReadOnlyList<AuditRule> Rules { get; }

    /// <summary>Checks one instance. Must be thread-safe (one instance of the check serves every worker).</summary>
    void Check(InstanceContext context, FindingCollector findings);
}
