using Nccid.Batch.Releases;

namespace Nccid.Batch.Hosting;

/// <summary>Runs one job once; the host records what it returns. Tests give the host a fake.</summary>
public interface IJobRunner
{
    /// <summary>Runs <paramref name="job"/>; returns the outcome (a failure is an outcome, not an exception).</summary>
    Task<JobRunOutcome> RunAsync(ReleaseJob job, CancellationToken ct);
}
