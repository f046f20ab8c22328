using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Nccid.Batch.Hosting;

/// <summary>
/// Schedules the jobs folder when the host starts, then watches it: an added, changed or removed job file reschedules
/// the jobs without a restart (after the folder has been quiet for <see cref="JobHostOptions.WatchDebounce"/>).
/// </summary>
public sealed partial class JobFolderWatcher : BackgroundService
{
    private readonly ISchedulerFactory _schedulers;
    private readonly RunHistory _history;
    private readonly JobHostOptions _options;
    private readonly ILogger<JobFolderWatcher> _log;
    private readonly SemaphoreSlim _changed = new(0, int.MaxValue);
    private int _syncs;

    /// <summary>Creates the watcher.</summary>
    public JobFolderWatcher(ISchedulerFactory schedulers, RunHistory history, JobHostOptions options, ILogger<JobFolderWatcher> log)
    {
        _schedulers = schedulers;
        _history = history;
        _options = options;
        _log = log;
    }

    /// <summary>How many times the folder has been synchronised with the scheduler.</summary>
    public int Syncs => Volatile.Read(ref _syncs);

    /// <summary>Schedules the folder's jobs once before the host reports started.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await SyncAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override void Dispose()
    {
        _changed.Dispose();
        base.Dispose();
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Directory.CreateDirectory(_options.JobsFolder);
        using var watcher = new FileSystemWatcher(Path.GetFullPath(_options.JobsFolder), "*.json")
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        void Signal(object? sender, FileSystemEventArgs e) => _changed.Release();
        watcher.Created += Signal;
        watcher.Changed += Signal;
        watcher.Deleted += Signal;
        watcher.Renamed += (s, e) => _changed.Release();
        watcher.EnableRaisingEvents = true;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // A watcher can miss events (buffer overflow, network folders): rescan at least every poll interval.
                await _changed.WaitAsync(_options.PollInterval, stoppingToken).ConfigureAwait(false);
                // Editors write a file in several steps: wait until the folder is quiet, then read it once.
                while (await _changed.WaitAsync(_options.WatchDebounce, stoppingToken).ConfigureAwait(false))
                {
                }

                try
                {
                    await SyncAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SchedulerException)
                {
                    // The folder is retried at the next change or poll; the jobs already scheduled keep running.
                    LogSyncFailed(_log, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    private async Task SyncAsync(CancellationToken ct)
    {
        var scan = JobFolder.Load(_options.JobsFolder);
        foreach (var error in scan.Errors) LogInvalid(_log, error);
        var scheduler = await _schedulers.GetScheduler(ct).ConfigureAwait(false);
        var changes = await JobScheduleSync.SyncAsync(scheduler, scan, _history, _options.MisfireThreshold, ct).ConfigureAwait(false);
        foreach (var change in changes) LogChange(_log, change);
        Interlocked.Increment(ref _syncs);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job file not scheduled: {Error}")]
    private static partial void LogInvalid(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Jobs folder could not be rescheduled; retrying at the next change.")]
    private static partial void LogSyncFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Jobs folder: {Change}")]
    private static partial void LogChange(ILogger logger, string change);
}
