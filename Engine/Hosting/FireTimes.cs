using Nccid.Batch.Releases;
using Quartz;

namespace Nccid.Batch.Hosting;

/// <summary>When a job's schedule fires, computed by Quartz's own <see cref="CronExpression"/> in the job's time zone.</summary>
public static class FireTimes
{
    /// <summary>Whether <paramref name="schedule"/> has a cron expression (otherwise the job runs only when asked).</summary>
    public static bool IsScheduled(JobSchedule? schedule) => !string.IsNullOrWhiteSpace(schedule?.Cron);

    /// <summary>The cron expression of <paramref name="schedule"/>, in its time zone.</summary>
    public static CronExpression Expression(JobSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return new CronExpression(schedule.Cron!, TimeZoneInfo.FindSystemTimeZoneById(schedule.TimeZone));
    }

    /// <summary>The next <paramref name="count"/> fire times after <paramref name="after"/> (UTC); empty for a manual job.</summary>
    public static IReadOnlyList<DateTimeOffset> Next(JobSchedule? schedule, DateTimeOffset after, int count)
    {
        if (!IsScheduled(schedule)) return [];
        var cron = Expression(schedule!);
        var times = new List<DateTimeOffset>(count);
        var from = after;
        while (times.Count < count && cron.GetNextValidTimeAfter(from) is { } next)
        {
            times.Add(next);
            from = next;
        }

        return times;
    }
}
