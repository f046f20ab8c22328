using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Quartz;

namespace Nccid.Batch.Hosting;

/// <summary>
/// Quartz's clustered ADO.NET job store in PostgreSQL, configured the same way for every host and for the command
/// line's client (which schedules without running jobs): one scheduler name, an instance id per host, job data as strings
/// serialized with System.Text.Json.
/// </summary>
public static class ClusterScheduling
{
    /// <summary>Configures <paramref name="quartz"/> for the cluster.</summary>
    /// <param name="quartz">Quartz's builder.</param>
    /// <param name="cluster">The cluster's options.</param>
    /// <param name="misfireThreshold">How late a fire may be before it counts as missed.</param>
    public static void UseCluster(IQuartzBuilder quartz, ClusterOptions cluster, TimeSpan misfireThreshold)
    {
        ArgumentNullException.ThrowIfNull(quartz);
        ArgumentNullException.ThrowIfNull(cluster);
        quartz.ConfigureScheduler(s =>
        {
            s.InstanceName = ClusterOptions.SchedulerName;
            s.InstanceId = cluster.InstanceId;

            // Another process's submission does not wake this scheduler: it notices new triggers when it next looks.
            s.IdleWaitTime = TimeSpan.FromSeconds(1);
        });
        quartz.UseDefaultThreadPool(Math.Max(1, cluster.MaxConcurrentJobs));
        quartz.UsePersistentStore(store =>
        {
            store.UsePostgres(NpgsqlFactory.Instance, cluster.ConnectionString);
            store.UseSystemTextJsonSerializer(_ => { });
            store.UseClustering(c =>
            {
                c.CheckinInterval = cluster.CheckinInterval;
                c.CheckinMisfireThreshold = cluster.CheckinMisfireThreshold;
            });
            store.ConfigureStore(o =>
            {
                o.StoreJobDataAsStrings = true;
                o.MisfireThreshold = misfireThreshold;
            });
        });
    }

    /// <summary>
    /// A scheduler on the cluster's store that is never started: it adds and removes jobs and triggers, which the
    /// running hosts then execute. Dispose it when done.
    /// </summary>
    public static async Task<ClusterClient> OpenClientAsync(ClusterOptions cluster, TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        await ClusterSchema.VerifyAsync(cluster.ConnectionString, ct).ConfigureAwait(false);
        var services = new ServiceCollection();
        services.AddLogging();
        var client = cluster with { InstanceId = cluster.InstanceId + "-client" };
        services.AddQuartz(q =>
        {
            q.UseTimeProvider(time);
            UseCluster(q, client, TimeSpan.FromMinutes(1));
        });
        var provider = services.BuildServiceProvider();
        var scheduler = await provider.GetRequiredService<ISchedulerFactory>().GetScheduler(ct).ConfigureAwait(false);
        return new ClusterClient(provider, scheduler);
    }
}
