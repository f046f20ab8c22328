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
        var ctSlices = new Option<string>("--ct-slices") { Description = "Slices per CT series, MIN-MAX (default 20-60).", DefaultValueFactory = _ => "20-60" };

        var command = new Command("synth", "Generate a synthetic NCCID-like corpus with a ground-truth ledger of injected defects.")
        {
            output, patients, seed, layout, realistic, defectRate, ctSlices,
        };

        command.SetAction(parseResult =>
        {
            var stderr = parseResult.InvocationConfiguration.Error;
            var slices = parseResult.GetValue(ctSlices)!;
            if (!TryParseRange(slices, out var slicesMin, out var slicesMax))
            {
                stderr.WriteLine($"--ct-slices '{slices}' is not MIN-MAX, e.g. 20-60.");
                return 2;
            }

            var options = new SyntheticCorpusOptions
            {
                CtSlicesMin = slicesMin,
                CtSlicesMax = slicesMax,
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

    private static bool TryParseRange(string text, out int min, out int max)
    {
        min = max = 0;
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        return dash > 0
            && int.TryParse(text.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out min)
            && int.TryParse(text.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out max);
    }
}
