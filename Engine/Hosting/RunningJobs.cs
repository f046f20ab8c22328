using System.Collections.Concurrent;

namespace Nccid.Batch.Hosting;

/// <summary>The runs in progress in this host, so that shutdown can wait for them and then cancel them.</summary>
public sealed class RunningJobs
{
    private readonly ConcurrentDictionary<string, (CancellationTokenSource Cancel, Task Done)> _runs = new(StringComparer.Ordinal);

    /// <summary>Runs in progress now.</summary>
    public int Count => _runs.Count;

    /// <summary>Registers a run; dispose the result when the run ends.</summary>
    internal Registration Start(string runId, CancellationTokenSource cancel)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _runs[runId] = (cancel, done.Task);
        return new Registration(this, runId, done);
    }

    /// <summary>Completes when every run in progress now has ended.</summary>
    public Task WhenAllEnded() => Task.WhenAll(_runs.Values.Select(r => r.Done));

    /// <summary>Cancels every run in progress; returns how many were cancelled.</summary>
    public int CancelAll()
    {
        var cancelled = 0;
        foreach (var run in _runs.Values)
        {
            run.Cancel.Cancel();
            cancelled++;
        }

        return cancelled;
    }

    /// <summary>Removes a run from the registry when disposed.</summary>
    internal sealed class Registration(RunningJobs owner, string runId, TaskCompletionSource done) : IDisposable
    {
        public void Dispose()
        {
            owner._runs.TryRemove(runId, out _);
            done.TrySetResult();
        }
    }
}
