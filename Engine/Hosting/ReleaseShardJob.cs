using System.Globalization;
using Microsoft.Extensions.Logging;
using Nccid.Batch.Audit;
using Nccid.Batch.Releases;
using Quartz;

namespace Nccid.Batch.Hosting;

/// <summary>
/// The Quartz job of one shard of a clustered release: scans and audits the shard's files into its part in the shared
/// staging area. Durable and recoverable: when its host dies, another host runs it again from the start.
/// </summary>
public sealed partial class ReleaseShardJob : IJob
{
    private readonly ClusterBook _book;
    private readonly ClusterOptions _cluster;
    private readonly TimeProvider _time;
    private readonly ILogger<ReleaseShardJob> _log;

    /// <summary>Creates the job (Quartz's job factory resolves the arguments from the host's services).</summary>
    public ReleaseShardJob(ClusterBook book, ClusterOptions cluster, TimeProvider time, ILogger<ReleaseShardJob> log)
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
        var shard = int.Parse(map.GetString(ClusterRelease.ShardKey)!, CultureInfo.InvariantCulture);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, context.CancellationToken);
        await _book.ShardStartedAsync(run, shard, _cluster.InstanceId, cancel.Token).ConfigureAwait(false);
        LogStarted(_log, run, shard, context.Recovering);
        try
        {
            // A shard whose host died after writing its part is not scanned again.
            if (!ReleaseShards.IsDone(staging, shard))
            {
                Func<Storage.IObjectStore, Storage.IObjectStore>? wrap = _cluster.ShardReadDelay > TimeSpan.Zero ? s => new ThrottledStore(s, _cluster.ShardReadDelay, _time) : null;
                await ReleaseShards.RunShardAsync(staging, shard, wrap, null, cancel.Token).ConfigureAwait(false);
            }

            await _book.ShardDoneAsync(run, shard, cancel.Token).ConfigureAwait(false);
            LogDone(_log, run, shard);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or AuditProfileException or ArgumentException)
        {
            await _book.ShardFailedAsync(run, shard, ex.GetType().Name + ": " + ex.Message, CancellationToken.None).ConfigureAwait(false);
            LogFailed(_log, run, shard, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Release run {Run} shard {Shard} started (recovering: {Recovering}).")]
    private static partial void LogStarted(ILogger logger, string run, int shard, bool recovering);

    [LoggerMessage(Level = LogLevel.Information, Message = "Release run {Run} shard {Shard} done.")]
    private static partial void LogDone(ILogger logger, string run, int shard);

    [LoggerMessage(Level = LogLevel.Error, Message = "Release run {Run} shard {Shard} failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string run, int shard, string error);
}
