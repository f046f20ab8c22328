using Microsoft.Extensions.Time.Testing;
using Nccid.Batch.Pipeline;

namespace Nccid.Batch.Tests.Pipeline;

public sealed class PhaseClockTests
{
    [Fact]
    public void Each_phase_is_the_time_since_the_previous_one_ended()
    {
        var time = new FakeTimeProvider();
        var clock = new PhaseClock(time);
        time.Advance(TimeSpan.FromSeconds(2.5));
        clock.End("listing");
        clock.End("empty");
        time.Advance(TimeSpan.FromMilliseconds(1234));
        clock.End("writing");

        Assert.Equal(["listing", "empty", "writing"], clock.Phases.Select(p => p.Name));
        Assert.Equal([2.5, 0, 1.234], clock.Phases.Select(p => p.Seconds));
        Assert.All(clock.Phases, p => Assert.True(p.GcPauseSeconds >= 0));
    }
}
