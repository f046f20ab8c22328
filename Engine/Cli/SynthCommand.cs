using System.CommandLine;
using System.Globalization;
using Nccid.Batch.Synthetic;

namespace Nccid.Batch.Cli;

/// <summary>The <c>synth</c> verb: writes a synthetic NCCID-like corpus and its ground-truth ledger.</summary>
internal static class SynthCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Output directory (created when missing).", Required = true };
        var patients = new Option<int>("--patients") { Description = "Number of patients.", DefaultValueFactory = _ => 100 };
        var seed = new Option<ulong>("--seed") { Description = "Seed; the same seed and options give byte-identical output.", DefaultValueFactory = _ => 1 };
        var layout = new Option<string>("--layout") { Description = "warehouse or dropzone.", DefaultValueFactory = _ => "warehouse" };
        layout.AcceptOnlyFromAmong("warehouse", "dropzone");
        var realistic = new Option<bool>("--realistic-pixels") { Description = "Full-size images (CR/DX 2000x2500, CT 512x512) instead of 64x64." };
        var defectRate = new Option<double?>("--defect-rate") { Description = "Probability per image of each defect kind (default 0.02)." };

        var command = new Command("synth", "Generate a synthetic NCCID-like corpus with a ground-truth ledger of injected defects.")
        {
            output, patients, seed, layout, realistic, defectRate,
        };

        command.SetAction(parseResult =>
        {
            var options = new SyntheticCorpusOptions
            {
                Patients = parseResult.GetValue(patients),
                Seed = parseResult.GetValue(seed),
                Layout = parseResult.GetValue(layout) == "dropzone" ? SyntheticCorpusLayout.Dropzone : SyntheticCorpusLayout.Warehouse,
                RealisticPixels = parseResult.GetValue(realistic),
            };
            if (parseResult.GetValue(defectRate) is { } rate)
            {
                options = options.WithAllDefectRates(rate);
            }

            var stdout = parseResult.InvocationConfiguration.Output;
            var stderr = parseResult.InvocationConfiguration.Error;
            var errors = options.Validate();
            if (errors.Count > 0)
            {
                foreach (var error in errors)
                {
                    stderr.WriteLine(error);
                }

                return 2;
            }

            var root = parseResult.GetValue(output)!;
            var summary = SyntheticCorpusGenerator.Generate(root, options, CancellationToken.None);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Wrote {summary.FilesWritten} files ({summary.DicomFiles} DICOM, {summary.ClinicalFiles} clinical, {summary.BytesWritten} bytes) to {root}"));
            foreach (var (kind, count) in summary.DefectsByKind)
            {
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {kind}: {count}"));
            }

            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  clinical values logged: {summary.ClinicalValueEntries}"));
            return 0;
        });

        return command;
    }
}
