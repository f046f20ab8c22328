using System.CommandLine;
using Nccid.Batch.Synthetic;

namespace Nccid.Batch.Cli;

/// <summary>
/// The <c>demo</c> verb, the main job with nothing to configure: generates a synthetic NCCID-like sample (when
/// absent) and runs <c>jobs/demo-release.json</c> on it with the output under <c>--out</c>.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Working folder (default: out/demo, git-ignored).", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("out", "demo")) };
        var patients = new Option<int>("--patients") { Description = "Patients in the generated sample.", DefaultValueFactory = _ => 200 };
        var job = new Option<FileInfo>("--job") { Description = "The job to run.", DefaultValueFactory = _ => new FileInfo(Path.Combine("jobs", "demo-release.json")) };
        var command = new Command("demo", "Generate a sample (if absent) and run the demo release job on it.") { output, patients, job };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var root = parseResult.GetValue(output)!.FullName;
            var sample = Path.Combine(root, "sample");
            if (!Directory.Exists(sample))
            {
                Console.WriteLine($"Generating a synthetic sample in {sample} ...");
                var made = SyntheticCorpusGenerator.Generate(sample, new SyntheticCorpusOptions { Patients = parseResult.GetValue(patients), Seed = 7 }, cancellationToken);
                Console.WriteLine(System.FormattableString.Invariant($"{made.DicomFiles:N0} DICOM files and {made.ClinicalFiles:N0} clinical records written; injected defects are listed in {Path.Combine(sample, SyntheticCorpusGenerator.LedgerFileName)}"));
            }

            var jobFile = parseResult.GetValue(job)!;
            if (!jobFile.Exists)
            {
                await Console.Error.WriteLineAsync($"nccid-batch demo: the job file '{jobFile.FullName}' does not exist (run from the repository root or pass --job).").ConfigureAwait(false);
                return 2;
            }

            return await ReleaseCommand.RunAsync(jobFile.FullName, j => j with { Source = sample, Output = root }, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
