using System.CommandLine;
using Nccid.Batch.Hosting;
using Nccid.Batch.Releases;

namespace Nccid.Batch.Cli;

/// <summary>The <c>run</c> verb: runs one job now (by name from the jobs folder, or by file) and records it in the run history.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var job = new Argument<string>("job") { Description = "A job name from the jobs folder, or a job file." };
        var folder = new Option<DirectoryInfo>("--folder") { Description = "The jobs folder.", DefaultValueFactory = _ => new DirectoryInfo("jobs") };
        var state = new Option<DirectoryInfo>("--state") { Description = "The state folder (run history).", DefaultValueFactory = _ => new DirectoryInfo("state") };
        var connection = ClusterCommand.ConnectionOption("In a cluster (this PostgreSQL database), a release job is split into shards for the cluster's hosts instead of running here");
        var shardSize = new Option<int>("--shard-size") { Description = "With a cluster: files per shard of the release.", DefaultValueFactory = _ => ReleaseShards.DefaultShardSize };
        var staging = new Option<DirectoryInfo?>("--staging") { Description = "With a cluster: the shared staging folder every host reaches (default: <output>/cluster-staging)." };
        var command = new Command("run", "Run one job now; the run is added to the run history. In a cluster, a release job is handed to the cluster's hosts as shards.")
        {
            job, folder, state, connection, shardSize, staging,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var name = parseResult.GetValue(job)!;
            var path = JobFolder.Find(parseResult.GetValue(folder)!.FullName, name);
            if (path is null)
            {
                await Console.Error.WriteLineAsync($"nccid-batch run: no job named '{name}' in {parseResult.GetValue(folder)!.FullName}, and no such file.").ConfigureAwait(false);
                return 2;
            }

            ReleaseJob loaded;
            try
            {
                loaded = ReleaseJobLoader.Load(path);
            }
            catch (JobFileException ex)
            {
                await Console.Error.WriteLineAsync("nccid-batch run: " + ex.Message).ConfigureAwait(false);
                return 2;
            }

            var history = new RunHistory(parseResult.GetValue(state)!.FullName);
            var started = TimeProvider.System.GetUtcNow();
            int exit;
            JobRunOutcome outcome;
            if (loaded.Kind == "release" && ClusterCommand.Connection(parseResult.GetValue(connection)) is { } cs)
            {
                (exit, outcome, var clusterRun) = await SubmitAsync(cs, loaded, path, parseResult.GetValue(staging)?.FullName, Math.Max(1, parseResult.GetValue(shardSize)),
                    started, cancellationToken).ConfigureAwait(false);
                history.Append(Record(clusterRun ?? Guid.NewGuid().ToString("N"), loaded, path, started, outcome));
                return exit;
            }

            if (loaded.Kind == "release")
            {
                exit = await ReleaseCommand.RunAsync(path, null, cancellationToken).ConfigureAwait(false);
                outcome = new JobRunOutcome(exit switch { 0 => JobRunOutcome.Succeeded, AuditCommand.GateFailed => JobRunOutcome.GateFailed, _ => JobRunOutcome.Failed },
                    null, new Dictionary<string, long>(StringComparer.Ordinal), exit switch { 0 => true, AuditCommand.GateFailed => false, _ => null },
                    exit is 0 or AuditCommand.GateFailed ? null : $"exit code {exit}; see the messages above.");
            }
            else
            {
                outcome = await new EngineJobRunner(TimeProvider.System, ReleaseCommand.EngineVersion).RunAsync(loaded, cancellationToken).ConfigureAwait(false);
                Console.WriteLine($"{loaded.Name}: {outcome.Outcome} {outcome.Error}");
                exit = outcome.Outcome switch { JobRunOutcome.Succeeded => 0, JobRunOutcome.GateFailed => AuditCommand.GateFailed, _ => 1 };
            }

            history.Append(Record(Guid.NewGuid().ToString("N"), loaded, path, started, outcome));
            return exit;
        });
        return command;
    }

    private static RunRecord Record(string runId, ReleaseJob job, string path, DateTimeOffset started, JobRunOutcome outcome) => new()
    {
        RunId = runId, Job = job.Name, JobFile = path, Trigger = "manual", StartedUtc = started,
        EndedUtc = TimeProvider.System.GetUtcNow(), Outcome = outcome.Outcome, ReleaseId = outcome.ReleaseId, Counts = outcome.Counts,
        GatePassed = outcome.GatePassed, Error = outcome.Error,
    };

    /// <summary>Fans the release out to the cluster, as <c>cluster submit</c> does; prints the cluster's run id.</summary>
    private static async Task<(int Exit, JobRunOutcome Outcome, string? ClusterRun)> SubmitAsync(string cs, ReleaseJob job, string path, string? staging, int shardSize,
        DateTimeOffset now, CancellationToken ct)
    {
        try
        {
            await using var client = await ClusterScheduling.OpenClientAsync(new ClusterOptions { ConnectionString = cs }, TimeProvider.System, ct).ConfigureAwait(false);
            var (runId, plan) = await ClusterRelease.SubmitAsync(client.Scheduler, new ClusterBook(cs, TimeProvider.System), job, ReleaseBuilder.HashJobFile(path), now,
                ReleaseCommand.EngineVersion, staging, shardSize, ct).ConfigureAwait(false);
            Console.WriteLine(runId);
            await Console.Error.WriteLineAsync($"Submitted {job.Name} to the cluster: {plan.Describe()}; follow it with 'nccid-batch cluster status --run {runId}'.").ConfigureAwait(false);
            var counts = new SortedDictionary<string, long>(StringComparer.Ordinal) { ["files"] = plan.Objects, ["shards"] = plan.Shards.Count, ["unchanged"] = plan.Unchanged };
            return (0, new JobRunOutcome(JobRunOutcome.Submitted, null, counts, null, null), runId);
        }
        catch (Exception ex) when (ex is ClusterException or DirectoryNotFoundException or IOException)
        {
            await Console.Error.WriteLineAsync("nccid-batch run: " + ex.Message).ConfigureAwait(false);
            return (1, JobRunOutcome.Failure("the release could not be submitted to the cluster: " + ex.Message), null);
        }
    }
}
