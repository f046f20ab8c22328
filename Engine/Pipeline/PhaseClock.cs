namespace Nccid.Batch.Pipeline;

/// <summary>Times the phases of a run, one after the other: wall-clock time, garbage-collector pauses and bytes allocated in each.</summary>
/// <param name="time">The clock (a fake one gives zero durations).</param>
public sealed class PhaseClock(TimeProvider time)
{
    private readonly List<PhaseTime> _phases = [];
    private long _started = time.GetTimestamp();
    private TimeSpan _paused = GC.GetTotalPauseDuration();
    private long _allocated = GC.GetTotalAllocatedBytes();

    /// <summary>The phases ended so far, in order.</summary>
    public IReadOnlyList<PhaseTime> Phases => _phases;

    /// <summary>Ends the phase that started at the last call (or at creation), naming it <paramref name="name"/>.</summary>
    public void End(string name)
    {
        var now = time.GetTimestamp();
        var paused = GC.GetTotalPauseDuration();
        var allocated = GC.GetTotalAllocatedBytes();
        _phases.Add(new PhaseTime(name, Math.Round(time.GetElapsedTime(_started, now).TotalSeconds, 3), Math.Round((paused - _paused).TotalSeconds, 3))
        {
            AllocatedBytes = allocated > _allocated ? allocated - _allocated : null,
        });
        _started = now;
        _paused = paused;
        _allocated = allocated;
    }
}
