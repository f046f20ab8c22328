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
        var command = new Command("host", "Run the job host: schedules every job in the jobs folder, reschedules when files change, records runs.") { folder, state, shutdown };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var options = new JobHostOptions
            {
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
