using Nccid.Batch.Hosting;
using Nccid.Batch.Releases;

namespace Nccid.Batch.Tests.Hosting;

/// <summary>Counts runs and how many overlap; each run takes <see cref="Hold"/> (or until cancelled, when infinite).</summary>
internal sealed class FakeJobRunner : IJobRunner
{
    private int _running;
    private int _maxRunning;
    private int _runs;

    public TimeSpan Hold { get; init; } = TimeSpan.Zero;

    public int Runs => Volatile.Read(ref _runs);

    public int MaxConcurrency => Volatile.Read(ref _maxRunning);

    public List<string> Jobs { get; } = [];

    public async Task<JobRunOutcome> RunAsync(ReleaseJob job, CancellationToken ct)
    {
        var now = Interlocked.Increment(ref _running);
        int seen;
        while ((seen = Volatile.Read(ref _maxRunning)) < now && Interlocked.CompareExchange(ref _maxRunning, now, seen) != seen)
        {
        }

        lock (Jobs) Jobs.Add(job.Name);
        try
        {
            if (Hold != TimeSpan.Zero) await Task.Delay(Hold, ct).ConfigureAwait(false);
            return new JobRunOutcome(JobRunOutcome.Succeeded, job.Name + "-r", new Dictionary<string, long> { ["studies"] = 3 }, true, null);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
            Interlocked.Increment(ref _runs);
        }
    }
}
