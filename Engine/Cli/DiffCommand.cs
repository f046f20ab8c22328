using System.CommandLine;
using Nccid.Batch.Releases;

namespace Nccid.Batch.Cli;

/// <summary>The <c>diff</c> verb: what changed between two releases.</summary>
internal static class DiffCommand
{
    public static Command Create()
    {
        var older = new Argument<DirectoryInfo>("release-a") { Description = "The older release folder." };
        var newer = new Argument<DirectoryInfo>("release-b") { Description = "The newer release folder." };
        var command = new Command("diff", "Patients, studies and instances added, removed and changed between two releases, and clinical fields changed.") { older, newer };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var a = parseResult.GetValue(older)!;
            var b = parseResult.GetValue(newer)!;
            foreach (var dir in new[] { a, b })
            {
                if (!File.Exists(Path.Combine(dir.FullName, ReleaseManifest.FileName)))
                {
                    await Console.Error.WriteLineAsync($"nccid-batch diff: '{dir.FullName}' is not a release (no {ReleaseManifest.FileName}).").ConfigureAwait(false);
                    return 2;
                }
            }

            var diff = await ReleaseDiff.CompareAsync(a.FullName, b.FullName, cancellationToken).ConfigureAwait(false);
            Console.Write(diff.Describe());
            return 0;
        });
        return command;
    }
}
