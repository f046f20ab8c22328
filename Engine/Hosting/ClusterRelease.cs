using System.Globalization;
using Nccid.Batch.Releases;
using Nccid.Batch.Storage;
using Quartz;

namespace Nccid.Batch.Hosting;

/// <summary>
/// Submits a release to the cluster: plans its shards into a shared staging area, records the run, and schedules one
/// durable, recoverable Quartz job per shard plus the assembly job that publishes once every shard is done.
/// </summary>
public static class ClusterRelease
{
    /// <summary>Job data key: the run's id.</summary>
    public const string RunKey = "run";

    /// <summary>Job data key: the run's staging area.</summary>
    public const string StagingKey = "staging";

    /// <summary>Job data key: the shard's number.</summary>
    public const string ShardKey = "shard";

    /// <summary>The Quartz job group of a run's jobs.</summary>
    public static string Group(string runId) => "release-" + runId;

    /// <summary>The Quartz job of shard <paramref name="shard"/> of run <paramref name="runId"/>.</summary>
    public static JobKey ShardJobKey(string runId, int shard) => new("shard-" + shard.ToString("D5", CultureInfo.InvariantCulture), Group(runId));

    /// <summary>Plans and schedules a release run; returns its id and plan.</summary>
    /// <param name="scheduler">A scheduler on the cluster's store.</param>
    /// <param name="book">The cluster's bookkeeping.</param>
    /// <param name="job">The loaded release job.</param>
    /// <param name="jobSha256">SHA-256 of the job file, for the manifest.</param>
    /// <param name="createdUtc">The release's time (its date is the release date).</param>
    /// <param name="engineVersion">The engine's version, for the manifest.</param>
    /// <param name="stagingRoot">A folder every host reaches by the same path (null: <c>&lt;output&gt;/cluster-staging</c> for a folder output).</param>
    /// <param name="shardSize">Objects per shard (a larger centre is split into runs of consecutive objects of about this size).</param>
    /// <param name="ct">Stops the submission.</param>
    public static async Task<(string RunId, ReleaseShardPlan Plan)> SubmitAsync(IScheduler scheduler, ClusterBook book, ReleaseJob job, string jobSha256,
        DateTimeOffset createdUtc, string engineVersion, string? stagingRoot, int shardSize, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentNullException.ThrowIfNull(book);
        ArgumentNullException.ThrowIfNull(job);
        if (job.Kind != "release") throw new ClusterException($"Job {job.Name} is a {job.Kind} job; only release jobs are split into shards.");
        if (stagingRoot is null && StorageLocation.IsS3(job.Output))
        {
            throw new ClusterException($"Job {job.Name} publishes to {job.Output}: give the cluster a shared staging folder (--staging) that every host reaches.");
        }

        // Two runs of a job assembling into one output at once would clean each other's staging folders.
        if (await book.ActiveRunOfAsync(job.Name, ct).ConfigureAwait(false) is { } active)
        {
            throw new ClusterException($"Job {job.Name} has run {active} in progress; submit it again once that run has ended ('nccid-batch cluster status --run {active}').");
        }

        var runId = job.Name + "-" + createdUtc.UtcDateTime.ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8];
        var staging = Path.GetFullPath(Path.Combine(stagingRoot ?? Path.Combine(job.Output, "cluster-staging"), runId));
        var plan = await ReleaseShards.PlanAsync(job, jobSha256, DateOnly.FromDateTime(createdUtc.UtcDateTime), createdUtc, engineVersion, staging, shardSize, ct).ConfigureAwait(false);
        await book.RegisterAsync(runId, job.Name, staging, plan.Shards, ct).ConfigureAwait(false);

        var group = Group(runId);
        var now = scheduler.TimeProvider.GetUtcNow();
        var jobs = new Dictionary<IJobDetail, IReadOnlyCollection<ITrigger>>();
        foreach (var shard in plan.Shards)
        {
            var key = ShardJobKey(runId, shard.Number);
            var detail = JobBuilder.Create<ReleaseShardJob>()
                .WithIdentity(key)
                .WithDescription($"{job.Name} shard {shard.Number} ({shard.Centre}, {shard.Objects} objects)")
                .StoreDurably()
                .RequestRecovery()
                .UsingJobData(RunKey, runId)
                .UsingJobData(StagingKey, staging)
                .UsingJobData(ShardKey, shard.Number.ToString(CultureInfo.InvariantCulture))
                .Build();
            jobs[detail] = [TriggerBuilder.Create(scheduler.TimeProvider).WithIdentity(key.Name, group).ForJob(detail.Key).StartAt(now).Build()];
        }

        var assembly = JobBuilder.Create<ReleaseAssemblyJob>()
            .WithIdentity("assemble", group)
            .WithDescription($"{job.Name}: assemble and publish once every shard is done")
            .StoreDurably()
            .RequestRecovery()
            .UsingJobData(RunKey, runId)
            .UsingJobData(StagingKey, staging)
            .Build();

        // The assembly looks every second whether the shards are done; it never runs twice at once.
        var poll = TriggerBuilder.Create(scheduler.TimeProvider).WithIdentity("assemble", group).ForJob(assembly.Key).StartAt(now.AddSeconds(1))
            .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromSeconds(1)).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount))
            .Build();
        jobs[assembly] = [poll];

        // One transaction: the hosts see the whole run or none of it.
        await scheduler.ScheduleJobs(jobs, ScheduleJobOptions.Replacing, ct).ConfigureAwait(false);
        return (runId, plan);
    }

    /// <summary>Removes every job and trigger of a finished run from the cluster.</summary>
    internal static async Task RemoveJobsAsync(IScheduler scheduler, string runId, CancellationToken ct)
    {
        var keys = await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(Group(runId)), ct).ConfigureAwait(false);
        await scheduler.DeleteJobs(keys.ToArray(), ct).ConfigureAwait(false);
    }
}
