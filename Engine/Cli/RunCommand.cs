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
        var command = new Command("run", "Run one job now; the run is added to the run history.") { job, folder, state };
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

            history.Append(new RunRecord
            {
                RunId = Guid.NewGuid().ToString("N"), Job = loaded.Name, JobFile = path, Trigger = "manual", StartedUtc = started,
                EndedUtc = TimeProvider.System.GetUtcNow(), Outcome = outcome.Outcome, ReleaseId = outcome.ReleaseId, Counts = outcome.Counts,
                GatePassed = outcome.GatePassed, Error = outcome.Error,
            });
            return exit;
        });
        return command;
    }
}
