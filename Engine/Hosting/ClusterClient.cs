using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Nccid.Batch.Hosting;

/// <summary>A scheduler on the cluster's store that schedules but never runs jobs (see <see cref="ClusterScheduling.OpenClientAsync"/>).</summary>
public sealed class ClusterClient : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    internal ClusterClient(ServiceProvider services, IScheduler scheduler)
    {
        _services = services;
        Scheduler = scheduler;
    }

    /// <summary>The scheduler (not started).</summary>
    public IScheduler Scheduler { get; }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await Scheduler.Shutdown(waitForJobsToComplete: false).ConfigureAwait(false);
        await _services.DisposeAsync().ConfigureAwait(false);
    }
}
