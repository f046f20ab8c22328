using Microsoft.Extensions.Logging;
using Nccid.Batch.Audit;
using Nccid.Batch.Releases;
using Quartz;

namespace Nccid.Batch.Hosting;

/// <summary>
/// The Quartz job that finishes a clustered release: fired every second until every shard is done, then assembles and
/// publishes the release, records it, and removes the run's jobs. Never two at once; a host that dies while assembling
/// is replaced by another, which first looks whether the release was already published, so it is published once.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class ReleaseAssemblyJob : IJob
{
    /// <summary>How many times a shard may be started before a shard interrupted without an outcome fails the run.</summary>
    public const int MaxShardAttempts = 5;

    private readonly ClusterBook _book;
    private readonly ClusterOptions _cluster;
    private readonly TimeProvider _time;
    private readonly ILogger<ReleaseAssemblyJob> _log;

    /// <summary>Creates the job (Quartz's job factory resolves the arguments from the host's services).</summary>
    public ReleaseAssemblyJob(ClusterBook book, ClusterOptions cluster, TimeProvider time, ILogger<ReleaseAssemblyJob> log)
    {
        _book = book;
        _cluster = cluster;
        _time = time;
        _log = log;
    }

    /// <inheritdoc/>
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var map = context.MergedJobDataMap;
        var run = map.GetString(ClusterRelease.RunKey)!;
        var staging = map.GetString(ClusterRelease.StagingKey)!;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, context.CancellationToken);
        var status = await _book.GetAsync(run, cancel.Token).ConfigureAwait(false);
        if (status is null || status.State is ClusterBook.RunPublished or ClusterBook.RunGateFailed or ClusterBook.RunFailed)
        {
            await ClusterRelease.RemoveJobsAsync(context.Scheduler, run, cancel.Token).ConfigureAwait(false);
            return;
        }

        if (status.Shards.FirstOrDefault(s => s.State == ClusterShardStatus.Failed) is { } failed)
        {
            await EndAsync(context, run, ClusterBook.RunFailed, null, $"shard {failed.Shard} failed: {failed.Error}", cancel.Token).ConfigureAwait(false);
            return;
        }

        if (status.Count(ClusterShardStatus.Done) < status.Shards.Count)
        {
            await RescheduleStrandedAsync(context, status, cancel.Token).ConfigureAwait(false);
            return;
        }

        var before = await _book.BeginAssemblyAsync(run, _cluster.InstanceId, cancel.Token).ConfigureAwait(false);
        if (before is not (ClusterBook.RunRunning or ClusterBook.RunAssembling)) return;
        if (before == ClusterBook.RunAssembling && await ReleaseShards.FindPublishedAsync(staging, cancel.Token).ConfigureAwait(false) is { } published)
        {
            // An earlier assembly published and died before recording it.
            await EndAsync(context, run, ClusterBook.RunPublished, published, null, cancel.Token).ConfigureAwait(false);
            return;
        }

        LogAssembling(_log, run);
        try
        {
            var result = await ReleaseShards.AssembleAsync(staging, _time, cancel.Token).ConfigureAwait(false);
            await EndAsync(context, run, result.Published ? ClusterBook.RunPublished : ClusterBook.RunGateFailed, result.ReleaseId, null, cancel.Token).ConfigureAwait(false);
            Directory.Delete(staging, recursive: true);
            LogEnded(_log, run, result.Published ? "published" : "gate failed", result.ReleaseId);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or AuditProfileException or SplitConflictException)
        {
            await EndAsync(context, run, ClusterBook.RunFailed, null, ex.GetType().Name + ": " + ex.Message, CancellationToken.None).ConfigureAwait(false);
            LogEnded(_log, run, "failed: " + ex.Message, string.Empty);
        }
    }

    /// <summary>
    /// A shard still pending or running in the bookkeeping while no trigger waits for its Quartz job and no host is
    /// executing it was interrupted without recording an outcome (its job ended with an error the job could not record,
    /// such as a lost database connection): nothing would ever run it again, so it gets a new trigger, up to
    /// <see cref="MaxShardAttempts"/> starts, after which it fails the run. A host that died is not such a case: until
    /// Quartz recovers its job, the dead host's fired trigger still counts as executing.
    /// </summary>
    private async Task RescheduleStrandedAsync(IJobExecutionContext context, ClusterRunStatus status, CancellationToken ct)
    {
        var stranded = new List<ClusterShardStatus>();
        foreach (var shard in status.Shards)
        {
            if (shard.State is not (ClusterShardStatus.Pending or ClusterShardStatus.Running)) continue;
            if (!await _book.IsScheduledOrExecutingAsync(ClusterRelease.ShardJobKey(status.RunId, shard.Shard), ct).ConfigureAwait(false)) stranded.Add(shard);
        }

        if (stranded.Count == 0) return;

        // Read again after Quartz's tables: a shard that finished in between has recorded its outcome by now.
        var again = await _book.GetAsync(status.RunId, ct).ConfigureAwait(false);
        if (again is null) return;
        foreach (var shard in stranded)
        {
            if (again.Shards.FirstOrDefault(s => s.Shard == shard.Shard) is not { } now) continue;
            if (now.State is not (ClusterShardStatus.Pending or ClusterShardStatus.Running)) continue;
            if (now.Attempts >= MaxShardAttempts)
            {
                await _book.ShardFailedAsync(status.RunId, shard.Shard, $"started {now.Attempts} times and interrupted each time without recording an outcome", ct).ConfigureAwait(false);
                continue;
            }

            var key = ClusterRelease.ShardJobKey(status.RunId, shard.Shard);
            var trigger = TriggerBuilder.Create(context.Scheduler.TimeProvider).ForJob(key).StartAt(context.Scheduler.TimeProvider.GetUtcNow()).Build();
            await context.Scheduler.ScheduleJob(trigger, default, ct).ConfigureAwait(false);
            LogRescheduled(_log, status.RunId, shard.Shard, now.State, now.Host ?? "no host");
        }
    }

    private async Task EndAsync(IJobExecutionContext context, string run, string state, string? releaseId, string? error, CancellationToken ct)
    {
        await _book.EndRunAsync(run, state, releaseId, error, ct).ConfigureAwait(false);
        await ClusterRelease.RemoveJobsAsync(context.Scheduler, run, ct).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Release run {Run} shard {Shard} was {State} on {Host} but no host runs it and no trigger waits for it; scheduled again.")]
    private static partial void LogRescheduled(ILogger logger, string run, int shard, string state, string host);

    [LoggerMessage(Level = LogLevel.Information, Message = "Release run {Run}: every shard is done; assembling.")]
    private static partial void LogAssembling(ILogger logger, string run);

    [LoggerMessage(Level = LogLevel.Information, Message = "Release run {Run} {Outcome} {ReleaseId}")]
    private static partial void LogEnded(ILogger logger, string run, string outcome, string releaseId);
}
