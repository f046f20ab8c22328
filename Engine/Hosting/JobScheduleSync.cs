using Quartz;

namespace Nccid.Batch.Hosting;

/// <summary>
/// Makes the scheduler's jobs match the jobs folder: new and changed files are (re)scheduled, removed ones deleted,
/// unchanged ones left alone (their next fire time is kept). Manual jobs (no cron) are not scheduled.
/// </summary>
public static class JobScheduleSync
{
    /// <summary>
    /// Synchronises <paramref name="scheduler"/> with <paramref name="scan"/>. Cron triggers use Quartz's "fire and
    /// proceed" misfire instruction (a fire missed while the scheduler was busy or paused runs once, now). Fires missed
    /// while the host was down are not in an in-memory store, so they come from <paramref name="history"/>: a job whose
    /// schedule fired since its last recorded run (by more than <paramref name="misfireThreshold"/>) runs once, now,
    /// however many fires it missed.
    /// </summary>
    /// <returns>What changed, one line per job, sorted.</returns>
    public static async Task<IReadOnlyList<string>> SyncAsync(IScheduler scheduler, JobFolderScan scan, RunHistory history, TimeSpan misfireThreshold, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentNullException.ThrowIfNull(scan);
        ArgumentNullException.ThrowIfNull(history);
        var changes = new List<string>();
        var wanted = new HashSet<JobKey>();
        var now = scheduler.TimeProvider.GetUtcNow();
        foreach (var loaded in scan.Jobs)
        {
            if (!FireTimes.IsScheduled(loaded.Job.Schedule)) continue;
            var key = new JobKey(loaded.Job.Name, ScheduledJob.Group);
            wanted.Add(key);
            var existing = await scheduler.GetJobDetail(key, ct).ConfigureAwait(false);
            if (existing is not null && existing.JobDataMap.TryGetValue(ScheduledJob.Sha256Key, out var sha) && Equals(sha, loaded.Sha256)) continue;

            var detail = JobBuilder.Create<ScheduledJob>()
                .WithIdentity(key)
                .WithDescription(loaded.Path)
                .UsingJobData(ScheduledJob.FileKey, loaded.Path)
                .UsingJobData(ScheduledJob.Sha256Key, loaded.Sha256)
                .Build();
            var cron = FireTimes.Expression(loaded.Job.Schedule!);
            var trigger = TriggerBuilder.Create(scheduler.TimeProvider)
                .WithIdentity(loaded.Job.Name, ScheduledJob.Group)
                .ForJob(key)
                .StartAt(now)
                .WithMisfireThreshold(misfireThreshold)
                .WithSchedule(CronScheduleBuilder.Create(cron).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
                .Build();
            await scheduler.ScheduleJob(detail, [trigger], ScheduleJobOptions.Replacing, ct).ConfigureAwait(false);
            changes.Add((existing is null ? "scheduled " : "rescheduled ") + loaded.Job.Name);
            if (existing is null && history.LastStart(loaded.Job.Name) is { } lastRun && cron.GetNextValidTimeAfter(lastRun) is { } missed && missed < now - misfireThreshold)
            {
                await scheduler.TriggerJob(key, new JobDataMap { [ScheduledJob.TriggerKind] = ScheduledJob.Misfire }, ct).ConfigureAwait(false);
                changes.Add("catching up " + loaded.Job.Name + " (missed " + missed.ToString("u", System.Globalization.CultureInfo.InvariantCulture) + ")");
            }
        }

        foreach (var key in await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(ScheduledJob.Group), ct).ConfigureAwait(false))
        {
            if (wanted.Contains(key)) continue;
            await scheduler.DeleteJob(key, ct).ConfigureAwait(false);
            changes.Add("removed " + key.Name);
        }

        changes.Sort(StringComparer.Ordinal);
        return changes;
    }
}
