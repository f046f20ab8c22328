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

        if (status.Count(ClusterShardStatus.Done) < status.Shards.Count) return;
        var before = await _book.BeginAssemblyAsync(run, _cluster.InstanceId, cancel.Token).ConfigureAwait(false);
        if (before is not (ClusterBook.RunRunning or ClusterBook.RunAssembling)) return;
        if (before == ClusterBook.RunAssembling && ReleaseShards.FindPublished(staging) is { } published)
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

    private async Task EndAsync(IJobExecutionContext context, string run, string state, string? releaseId, string? error, CancellationToken ct)
    {
        await _book.EndRunAsync(run, state, releaseId, error, ct).ConfigureAwait(false);
        await ClusterRelease.RemoveJobsAsync(context.Scheduler, run, ct).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Release run {Run}: every shard is done; assembling.")]
    private static partial void LogAssembling(ILogger logger, string run);

    [LoggerMessage(Level = LogLevel.Information, Message = "Release run {Run} {Outcome} {ReleaseId}")]
    private static partial void LogEnded(ILogger logger, string run, string outcome, string releaseId);
}
