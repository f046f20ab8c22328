using System.CommandLine;
using System.Reflection;
using Nccid.Batch.Audit;
using Nccid.Batch.Releases;

namespace Nccid.Batch.Cli;

/// <summary>The <c>release</c> verb: runs a release job file; exit code 3 when the gate fails (nothing is published).</summary>
internal static class ReleaseCommand
{
    public static Command Create()
    {
        var jobFile = new Argument<FileInfo>("job") { Description = "The job definition, e.g. jobs/demo-release.json." };
        var asOf = new Option<DateTimeOffset?>("--as-of")
        {
            Description = "The run's date and time (ISO 8601, default now): the release id's date, the date rules and the manifest's time. "
                + "A release run again with the same job, data and --as-of is byte for byte the same.",
        };
        var full = new Option<bool>("--full") { Description = "Read every file, ignoring the scan index in <output>/index/ (which is rebuilt)." };
        var command = new Command("release", "Build, verify and publish a dataset release from a job file; files unchanged since the last release are not read again.")
        {
            jobFile, asOf, full,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
            await RunAsync(parseResult.GetValue(jobFile)!.FullName, null, cancellationToken, parseResult.GetValue(asOf), parseResult.GetValue(full)).ConfigureAwait(false));
        return command;
    }

    /// <summary>
    /// Loads and runs a job (with its source and output optionally replaced) as of <paramref name="asOf"/> (default
    /// now), prints the outcome, returns the exit code. <paramref name="fullScan"/> ignores the scan index.
    /// </summary>
    public static async Task<int> RunAsync(string jobPath, Func<ReleaseJob, ReleaseJob>? adjust, CancellationToken cancellationToken, DateTimeOffset? asOf = null,
        bool fullScan = false)
    {
        ReleaseJob job;
        try
        {
            job = ReleaseJobLoader.Load(jobPath);
        }
        catch (JobFileException ex)
        {
            await Console.Error.WriteLineAsync("nccid-batch release: " + ex.Message).ConfigureAwait(false);
            return 2;
        }

        if (adjust is not null) job = adjust(job);
        var now = (asOf ?? TimeProvider.System.GetUtcNow()).ToUniversalTime();
        try
        {
            var result = await ProgressDisplay.RunAsync("Releasing", progress =>
                ReleaseBuilder.RunAsync(job, ReleaseBuilder.HashJobFile(jobPath), DateOnly.FromDateTime(now.UtcDateTime), now, EngineVersion, TimeProvider.System, progress, cancellationToken,
                    fullScan: fullScan)).ConfigureAwait(false);
            Console.WriteLine(result.Describe());
            return result.Published ? 0 : AuditCommand.GateFailed;
        }
        catch (Exception ex) when (ex is AuditProfileException or SplitConflictException or DirectoryNotFoundException or ReleaseCheckException or JobFileException or InvalidDataException)
        {
            await Console.Error.WriteLineAsync("nccid-batch release: " + ex.Message).ConfigureAwait(false);
            return 1;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The environment, not the data: a full or read-only output disk, a permission. The staging folder is
            // gone (the builder removes it on the way out), so the message can promise that nothing was left.
            await Console.Error.WriteLineAsync($"nccid-batch release: the release could not be written to {job.Output}: {ex.Message} Nothing was published; "
                + "free space or make the output writable and run the release again.").ConfigureAwait(false);
            return 1;
        }
    }

    /// <summary>The engine's version, as recorded in manifests.</summary>
    public static string EngineVersion =>
        typeof(ReleaseCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
}
