using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Nccid.Batch.Hosting;

namespace Nccid.Batch.Cli;

/// <summary>The <c>host</c> verb: runs the scheduled jobs of the jobs folder until stopped (Ctrl+C or SIGTERM).</summary>
internal static class HostCommand
{
    public static Command Create()
    {
        var folder = new Option<DirectoryInfo>("--folder") { Description = "The jobs folder (watched for changes).", DefaultValueFactory = _ => new DirectoryInfo("jobs") };
        var state = new Option<DirectoryInfo>("--state") { Description = "The state folder (run history).", DefaultValueFactory = _ => new DirectoryInfo("state") };
        var shutdown = new Option<int>("--shutdown-timeout") { Description = "Seconds a running job gets to finish at shutdown before it is cancelled.", DefaultValueFactory = _ => 300 };
        var cluster = ClusterCommand.ConnectionOption("Join the cluster in this PostgreSQL database: Quartz's clustered job store, and the shards of submitted releases");
        var instance = new Option<string?>("--instance-id") { Description = "This host's id in the cluster (default: machine name and process id)." };
        var checkin = new Option<double>("--checkin-interval") { Description = "Seconds between the host's check-ins; a host silent for twice this is taken as dead.", DefaultValueFactory = _ => 5 };
        var concurrent = new Option<int>("--max-concurrent-jobs") { Description = "Jobs (shards) this host runs at once.", DefaultValueFactory = _ => 2 };
        var readDelay = new Option<int>("--shard-read-delay-ms") { Description = "Test only: waits this long before every file read of a shard.", Hidden = true };
        var command = new Command("host", "Run the job host: schedules every job in the jobs folder, reschedules when files change, records runs; with --connection, joins a cluster.")
        {
            folder, state, shutdown, cluster, instance, checkin, concurrent, readDelay,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            ClusterOptions? clusterOptions = null;
            if (ClusterCommand.Connection(parseResult.GetValue(cluster)) is { } cs)
            {
                var interval = TimeSpan.FromSeconds(Math.Max(0.5, parseResult.GetValue(checkin)));
                clusterOptions = new ClusterOptions
                {
                    ConnectionString = cs, CheckinInterval = interval, CheckinMisfireThreshold = interval,
                    MaxConcurrentJobs = Math.Max(1, parseResult.GetValue(concurrent)),
                    ShardReadDelay = TimeSpan.FromMilliseconds(Math.Max(0, parseResult.GetValue(readDelay))),
                };
                if (parseResult.GetValue(instance) is { Length: > 0 } id) clusterOptions = clusterOptions with { InstanceId = id };
                try
                {
                    await ClusterSchema.VerifyAsync(cs, cancellationToken).ConfigureAwait(false);
                }
                catch (ClusterException ex)
                {
                    await Console.Error.WriteLineAsync("nccid-batch host: " + ex.Message).ConfigureAwait(false);
                    return 2;
                }

                await Console.Error.WriteLineAsync($"nccid-batch host: joining the cluster in {clusterOptions.Describe()} as {clusterOptions.InstanceId}.").ConfigureAwait(false);
            }

            var options = new JobHostOptions
            {
                Cluster = clusterOptions,
                JobsFolder = parseResult.GetValue(folder)!.FullName,
                StateFolder = parseResult.GetValue(state)!.FullName,
                ShutdownTimeout = TimeSpan.FromSeconds(Math.Max(0, parseResult.GetValue(shutdown))),
            };
            var scan = JobFolder.Load(options.JobsFolder);
            foreach (var error in scan.Errors) await Console.Error.WriteLineAsync("nccid-batch host: not scheduled: " + error).ConfigureAwait(false);
            using var host = JobHost.Build(options, new EngineJobRunner(TimeProvider.System, ReleaseCommand.EngineVersion), TimeProvider.System);
            await host.RunAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
