using System.CommandLine;
using Nccid.Batch.Hosting;
using Nccid.Batch.Releases;

namespace Nccid.Batch.Cli;

/// <summary>The <c>cluster</c> verbs: create the cluster's schema, submit a release to the cluster, show its progress.</summary>
internal static class ClusterCommand
{
    public static Command Create()
    {
        var command = new Command("cluster", "Releases scaled out over several hosts (Quartz.NET clustering on PostgreSQL).");
        command.Subcommands.Add(Init());
        command.Subcommands.Add(Submit());
        command.Subcommands.Add(Status());
        return command;
    }

    /// <summary>The connection option: a PostgreSQL connection string, or the environment variable when absent.</summary>
    public static Option<string?> ConnectionOption(string description) => new("--connection")
    {
        Description = description + $" (default: the {ClusterOptions.ConnectionVariable} environment variable).",
    };

    /// <summary>The connection string from the option or the environment, or null.</summary>
    public static string? Connection(string? option) =>
        string.IsNullOrWhiteSpace(option) ? Environment.GetEnvironmentVariable(ClusterOptions.ConnectionVariable) is { Length: > 0 } env ? env : null : option;

    private static Command Init()
    {
        var connection = ConnectionOption("The PostgreSQL connection string");
        var command = new Command("init", "Create the cluster's tables (Quartz's qrtz_ tables and the release bookkeeping); running it again changes nothing.") { connection };
        command.SetAction(async (parseResult, ct) =>
        {
            if (Connection(parseResult.GetValue(connection)) is not { } cs) return await MissingConnectionAsync("cluster init").ConfigureAwait(false);
            try
            {
                var tables = await ClusterSchema.InitAsync(cs, ct).ConfigureAwait(false);
                Console.WriteLine($"Cluster schema ready in {ClusterOptions.Redact(cs)}: {tables.Count} tables ({string.Join(", ", tables)}).");
                return 0;
            }
            catch (ClusterException ex)
            {
                await Console.Error.WriteLineAsync("nccid-batch cluster init: " + ex.Message).ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }

    private static Command Submit()
    {
        var jobFile = new Argument<FileInfo>("job") { Description = "The release job file." };
        var connection = ConnectionOption("The PostgreSQL connection string");
        var shardSize = new Option<int>("--shard-size") { Description = "Files per shard: a larger centre is split by key hash into shards of about this size.", DefaultValueFactory = _ => ReleaseShards.DefaultShardSize };
        var staging = new Option<DirectoryInfo?>("--staging") { Description = "The shared staging folder every host reaches (default: <output>/cluster-staging)." };
        var command = new Command("submit", "Split a release into shards and hand them to the cluster's hosts; prints the run id.") { jobFile, connection, shardSize, staging };
        command.SetAction(async (parseResult, ct) =>
        {
            if (Connection(parseResult.GetValue(connection)) is not { } cs) return await MissingConnectionAsync("cluster submit").ConfigureAwait(false);
            var path = parseResult.GetValue(jobFile)!.FullName;
            try
            {
                var job = ReleaseJobLoader.Load(path);
                var cluster = new ClusterOptions { ConnectionString = cs };
                await using var client = await ClusterScheduling.OpenClientAsync(cluster, TimeProvider.System, ct).ConfigureAwait(false);
                var book = new ClusterBook(cs, TimeProvider.System);
                var (runId, plan) = await ClusterRelease.SubmitAsync(client.Scheduler, book, job, ReleaseBuilder.HashJobFile(path), TimeProvider.System.GetUtcNow(),
                    ReleaseCommand.EngineVersion, parseResult.GetValue(staging)?.FullName, Math.Max(1, parseResult.GetValue(shardSize)), ct).ConfigureAwait(false);
                Console.WriteLine(runId);
                await Console.Error.WriteLineAsync($"Submitted {job.Name}: {plan.Describe()}; follow it with 'nccid-batch cluster status --run {runId}'.").ConfigureAwait(false);
                return 0;
            }
            catch (Exception ex) when (ex is ClusterException or JobFileException or DirectoryNotFoundException or IOException)
            {
                await Console.Error.WriteLineAsync("nccid-batch cluster submit: " + ex.Message).ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }

    private static Command Status()
    {
        var connection = ConnectionOption("The PostgreSQL connection string");
        var run = new Option<string?>("--run") { Description = "One run, with its shards." };
        var limit = new Option<int>("--limit") { Description = "How many of the newest runs.", DefaultValueFactory = _ => 20 };
        var command = new Command("status", "Show clustered release runs: shards done, running (and where), pending, failed; the published release.") { connection, run, limit };
        command.SetAction(async (parseResult, ct) =>
        {
            if (Connection(parseResult.GetValue(connection)) is not { } cs) return await MissingConnectionAsync("cluster status").ConfigureAwait(false);
            try
            {
                await ClusterSchema.VerifyAsync(cs, ct).ConfigureAwait(false);
                var book = new ClusterBook(cs, TimeProvider.System);
                if (parseResult.GetValue(run) is { } id)
                {
                    var status = await book.GetAsync(id, ct).ConfigureAwait(false);
                    if (status is null)
                    {
                        await Console.Error.WriteLineAsync($"nccid-batch cluster status: no run {id}.").ConfigureAwait(false);
                        return 1;
                    }

                    Console.WriteLine(status.Describe());
                    foreach (var s in status.Shards)
                    {
                        Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                            $"  shard {s.Shard,5}  {s.State,-8}  {s.Centre}  {s.Files} files  attempts {s.Attempts}{(s.Host is null ? string.Empty : "  on " + s.Host)}{(s.Error is null ? string.Empty : "  " + s.Error)}"));
                    }

                    return 0;
                }

                var runs = await book.ListAsync(Math.Max(1, parseResult.GetValue(limit)), ct).ConfigureAwait(false);
                if (runs.Count == 0) Console.WriteLine("No clustered release runs.");
                foreach (var r in runs) Console.WriteLine(r.Describe());
                return 0;
            }
            catch (ClusterException ex)
            {
                await Console.Error.WriteLineAsync("nccid-batch cluster status: " + ex.Message).ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }

    private static async Task<int> MissingConnectionAsync(string verb)
    {
        await Console.Error.WriteLineAsync($"nccid-batch {verb}: no cluster database: give --connection '<PostgreSQL connection string>' or set {ClusterOptions.ConnectionVariable}.").ConfigureAwait(false);
        return 2;
    }
}
