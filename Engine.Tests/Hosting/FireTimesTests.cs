using Nccid.Batch.Hosting;
using Nccid.Batch.Releases;

namespace Nccid.Batch.Tests.Hosting;

public class FireTimesTests
{
    private static readonly JobSchedule DailyAt0130 = new("0 30 1 * * ?", "Europe/London");

    private static DateTimeOffset Utc(int year, int month, int day, int hour, int minute) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void Weekly_release_fires_at_two_in_the_morning_london_time_on_sundays_in_winter_and_summer()
    {
        var times = FireTimes.Next(new JobSchedule("0 0 2 ? * SUN", "Europe/London"), Utc(2026, 3, 18, 12, 0), 3);
        Assert.Equal([Utc(2026, 3, 22, 2, 0), Utc(2026, 3, 29, 1, 0), Utc(2026, 4, 5, 1, 0)], times);
    }

    [Fact]
    public void Daily_0130_job_on_the_spring_forward_day_fires_once_and_never_at_a_time_that_does_not_exist()
    {
        // 2026-03-29: clocks go from 01:00 GMT to 02:00 BST, so 01:30 London does not exist that day.
        // Quartz moves the missing 01:30 to the first instant that exists, 02:00 BST (01:00 UTC): one run that day.
        var times = FireTimes.Next(DailyAt0130, Utc(2026, 3, 27, 12, 0), 3);
        Assert.Equal([Utc(2026, 3, 28, 1, 30), Utc(2026, 3, 29, 1, 0), Utc(2026, 3, 30, 0, 30)], times);
        var london = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
        Assert.All(times, t => Assert.False(london.IsInvalidTime(TimeZoneInfo.ConvertTime(t, london).DateTime)));
    }

    [Fact]
    public void Daily_0130_job_on_the_fall_back_day_fires_once_not_twice()
    {
        // 2026-10-25: 01:30 London happens twice (00:30 UTC in BST, then 01:30 UTC in GMT).
        var times = FireTimes.Next(DailyAt0130, Utc(2026, 10, 24, 12, 0), 2);
        Assert.Single(times, t => t.UtcDateTime.Date == new DateTime(2026, 10, 25, 0, 0, 0, DateTimeKind.Utc));
        Assert.Equal(Utc(2026, 10, 26, 1, 30), times[1]);
    }

    [Fact]
    public void A_job_without_cron_has_no_fire_times()
    {
        Assert.Empty(FireTimes.Next(null, Utc(2026, 1, 1, 0, 0), 3));
        Assert.Empty(FireTimes.Next(new JobSchedule(), Utc(2026, 1, 1, 0, 0), 3));
    }
}
