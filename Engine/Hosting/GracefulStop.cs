using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Nccid.Batch.Hosting;

/// <summary>
/// Stops the host gently: no new fires, running jobs get <see cref="JobHostOptions.ShutdownTimeout"/> to finish, then
/// they are cancelled through their cancellation token (and record a cancelled run). Registered after Quartz's hosted
/// service so that it stops first.
/// </summary>
public sealed partial class GracefulStop : IHostedService
{
    private readonly ISchedulerFactory _schedulers;
    private readonly RunningJobs _running;
    private readonly JobHostOptions _options;
    private readonly ILogger<GracefulStop> _log;

    /// <summary>Creates the service.</summary>
    public GracefulStop(ISchedulerFactory schedulers, RunningJobs running, JobHostOptions options, ILogger<GracefulStop> log)
    {
        _schedulers = schedulers;
        _running = running;
        _options = options;
        _log = log;
    }

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var scheduler = await _schedulers.GetScheduler(cancellationToken).ConfigureAwait(false);
        await scheduler.Standby(cancellationToken).ConfigureAwait(false);
        var ended = _running.WhenAllEnded();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var deadline = Task.Delay(_options.ShutdownTimeout, TimeProvider.System, timeout.Token);
        if (await Task.WhenAny(ended, deadline).ConfigureAwait(false) != ended)
        {
            LogCancelling(_log, _running.Count, _options.ShutdownTimeout.TotalSeconds);
            foreach (var key in await scheduler.GetJobKeys(GroupMatcher<JobKey>.AnyGroup(), cancellationToken).ConfigureAwait(false))
            {
                await scheduler.Interrupt(key, cancellationToken).ConfigureAwait(false);
            }

            _running.CancelAll();
            await ended.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        await timeout.CancelAsync().ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} job run(s) still running after {Seconds} s; cancelling them.")]
    private static partial void LogCancelling(ILogger logger, int count, double seconds);
}
