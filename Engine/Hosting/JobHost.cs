using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quartz;

namespace Nccid.Batch.Hosting;

/// <summary>
/// Builds the job host: Microsoft.Extensions.Hosting with Quartz's hosted service, an in-memory job store (or, with
/// <see cref="JobHostOptions.Cluster"/>, Quartz's clustered store in PostgreSQL and the jobs of clustered releases), the jobs
/// folder scheduled and watched, the run history, and a graceful stop.
/// </summary>
public static class JobHost
{
    /// <summary>Creates the host (not started).</summary>
    /// <param name="options">Folders and timeouts.</param>
    /// <param name="runner">Runs each job (the engine in production, a fake in tests).</param>
    /// <param name="time">The clock of the scheduler and of the run history.</param>
    /// <param name="args">Host arguments (configuration and logging switches).</param>
    public static IHost Build(JobHostOptions options, IJobRunner runner, TimeProvider time, string[]? args = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args ?? [], ContentRootPath = Directory.GetCurrentDirectory() });
        AddServices(builder.Services, options, runner, time);
        return builder.Build();
    }

    /// <summary>Adds the job host's services to <paramref name="services"/>.</summary>
    public static IServiceCollection AddServices(IServiceCollection services, JobHostOptions options, IJobRunner runner, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        services.AddSingleton(runner);
        services.AddSingleton(time);
        services.AddSingleton(new RunHistory(options.StateFolder));
        services.AddSingleton<RunningJobs>();
        if (options.Cluster is { } clusterOptions)
        {
            services.AddSingleton(clusterOptions);
            services.AddSingleton(new ClusterBook(clusterOptions.ConnectionString, time));
        }

        services.Configure<HostOptions>(h => h.ShutdownTimeout = options.ShutdownTimeout + TimeSpan.FromSeconds(30));
        services.AddQuartz(q =>
        {
            q.UseTimeProvider(time);
            if (options.Cluster is { } cluster)
            {
                ClusterScheduling.UseCluster(q, cluster, options.MisfireThreshold);
                q.AddJobType<ReleaseShardJob>();
                q.AddJobType<ReleaseAssemblyJob>();
            }
            else
            {
                q.UseInMemoryStore(store => store.MisfireThreshold = options.MisfireThreshold);
            }

            q.AddJobType<ScheduledJob>();
        });
        services.AddQuartzHostedService(q => q.WaitForJobsToComplete = true);
        services.AddSingleton<JobFolderWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<JobFolderWatcher>());
        services.AddHostedService<GracefulStop>();
        return services;
    }
}
