using Microsoft.Extensions.Logging;
using Nccid.Batch.Releases;
using Quartz;

namespace Nccid.Batch.Hosting;

/// <summary>
/// The Quartz job that runs one job file: loads it afresh, runs it through the <see cref="IJobRunner"/> (retrying failed
/// runs as the job allows), and appends the run to the <see cref="RunHistory"/>. Never two at once for the same job.
/// On a clustered host a release job is not run here: it is fanned out to the cluster as shards, exactly as
/// <c>cluster submit</c> does, and the run is recorded as submitted under the cluster's run id.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class ScheduledJob : IJob
{
    /// <summary>Job data key: the job file's path.</summary>
    public const string FileKey = "file";

    /// <summary>Job data key: SHA-256 of the job file when it was scheduled.</summary>
    public const string Sha256Key = "sha256";

    /// <summary>Job data key: what started a run fired by hand (manual, misfire).</summary>
    public const string TriggerKind = "trigger";

    /// <summary>A run that catches up fires missed while the host was down.</summary>
    public const string Misfire = "misfire";

    /// <summary>The Quartz job group of jobs from the jobs folder.</summary>
    public const string Group = "jobs";

    private readonly IJobRunner _runner;
    private readonly RunHistory _history;
    private readonly RunningJobs _running;
    private readonly TimeProvider _time;
    private readonly ILogger<ScheduledJob> _log;
    private readonly ClusterBook? _book;
    private readonly ClusterOptions? _cluster;

    /// <summary>Creates the job (Quartz's job factory resolves the arguments from the host's services).</summary>
    /// <param name="runner">Runs the job on this host.</param>
    /// <param name="history">Where the run is recorded.</param>
    /// <param name="running">The host's running jobs (cancelled at shutdown).</param>
    /// <param name="time">The clock.</param>
    /// <param name="log">The log.</param>
    /// <param name="book">On a clustered host, the cluster's bookkeeping (null on a single host).</param>
    /// <param name="cluster">On a clustered host, the cluster's options (null on a single host).</param>
    public ScheduledJob(IJobRunner runner, RunHistory history, RunningJobs running, TimeProvider time, ILogger<ScheduledJob> log,
        ClusterBook? book = null, ClusterOptions? cluster = null)
    {
        _runner = runner;
        _history = history;
        _running = running;
        _time = time;
        _log = log;
        _book = book;
        _cluster = cluster;
    }

    /// <inheritdoc/>
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var file = context.MergedJobDataMap.TryGetValue(FileKey, out var f) ? f?.ToString() ?? string.Empty : string.Empty;
        var runId = Guid.NewGuid().ToString("N");
        var started = _time.GetUtcNow();
        var trigger = context.MergedJobDataMap.TryGetValue(TriggerKind, out var kind) && kind is string k ? k
            : context.ScheduledFireTimeUtc is { } scheduled && started - scheduled > TimeSpan.FromMinutes(1) ? Misfire
            : context.Trigger.Key.Group == Group ? "schedule" : "manual";
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, context.CancellationToken);
        using var registration = _running.Start(runId, cancel);
        LogStarted(_log, context.JobDetail.Key.Name, runId, trigger);
        var name = context.JobDetail.Key.Name;
        var attempts = 0;
        JobRunOutcome outcome;
        ReleaseJob? job = null;
        try
        {
            job = ReleaseJobLoader.Load(file);
            name = job.Name;
            do
            {
                attempts++;
                if (_book is not null && _cluster is not null && job.Kind == "release")
                {
                    (outcome, var clusterRun) = await SubmitAsync(context.Scheduler, _book, _cluster, job, file, cancel.Token).ConfigureAwait(false);
                    runId = clusterRun ?? runId;
                }
                else
                {
                    outcome = await _runner.RunAsync(job, cancel.Token).ConfigureAwait(false);
                }
            }
            while (outcome.Outcome == JobRunOutcome.Failed && attempts <= job.Retries && !cancel.IsCancellationRequested);
        }
        catch (JobFileException ex)
        {
            outcome = JobRunOutcome.Failure(ex.Message);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            outcome = JobRunOutcome.Cancellation("the run was cancelled (host shutdown or interruption).");
        }

        var record = new RunRecord
        {
            RunId = runId, Job = name, JobFile = file, Trigger = trigger, StartedUtc = started, EndedUtc = _time.GetUtcNow(),
            Attempts = Math.Max(1, attempts), Outcome = outcome.Outcome, ReleaseId = outcome.ReleaseId, Counts = outcome.Counts,
            GatePassed = outcome.GatePassed, Error = outcome.Error,
        };
        _history.Append(record);
        LogEnded(_log, name, runId, record.Outcome, record.Error ?? string.Empty);
    }

    /// <summary>Fans a release out to the cluster; the outcome is <see cref="JobRunOutcome.Submitted"/> with the cluster's run id, or a failure.</summary>
    private async Task<(JobRunOutcome Outcome, string? ClusterRun)> SubmitAsync(IScheduler scheduler, ClusterBook book, ClusterOptions cluster, ReleaseJob job, string file,
        CancellationToken ct)
    {
        try
        {
            var (clusterRun, plan) = await ClusterRelease.SubmitAsync(scheduler, book, job, ReleaseBuilder.HashJobFile(file), _time.GetUtcNow(), cluster.EngineVersion,
                cluster.StagingRoot, Math.Max(1, cluster.ShardSize), ct).ConfigureAwait(false);
            LogSubmitted(_log, job.Name, clusterRun, plan.Describe());
            var counts = new SortedDictionary<string, long>(StringComparer.Ordinal) { ["files"] = plan.Objects, ["shards"] = plan.Shards.Count, ["unchanged"] = plan.Unchanged };
            return (new JobRunOutcome(JobRunOutcome.Submitted, null, counts, null, null), clusterRun);
        }
        catch (Exception ex) when (ex is ClusterException or IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return (JobRunOutcome.Failure("the release could not be submitted to the cluster: " + ex.GetType().Name + ": " + ex.Message), null);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job} submitted to the cluster as run {Run}: {Plan}.")]
    private static partial void LogSubmitted(ILogger logger, string job, string run, string plan);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job} run {RunId} started ({Trigger}).")]
    private static partial void LogStarted(ILogger logger, string job, string runId, string trigger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job} run {RunId} ended: {Outcome} {Error}")]
    private static partial void LogEnded(ILogger logger, string job, string runId, string outcome, string error);
}
