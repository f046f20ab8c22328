namespace Nccid.Batch.Synthetic;

/// <summary>
/// Generates an NCCID-like corpus of DICOM files and clinical JSON with injected defects, and a ground-truth
/// ledger (<c>ground-truth.jsonl</c>) listing each defect and each messy clinical value with its clean truth.
/// The same options always produce byte-identical output; files are streamed, so memory does not grow with N.
/// </summary>
public static class SyntheticCorpusGenerator
{
    /// <summary>The ledger's file name under the output root.</summary>
    public const string LedgerFileName = "ground-truth.jsonl";

    /// <summary>Writes the corpus under <paramref name="outputRoot"/> (created when missing).</summary>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every failure.</exception>
    public static SyntheticCorpusSummary Generate(string outputRoot, SyntheticCorpusOptions options, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputRoot);
        ArgumentNullException.ThrowIfNull(options);
        options.EnsureValid();

        Directory.CreateDirectory(outputRoot);
        var world = SyntheticWorld.Create(options.Seed);
        using var ledger = new GroundTruthLedger(Path.Combine(outputRoot, LedgerFileName));
        var run = new CorpusRun(outputRoot, options, world, ledger, ct);
        for (var patient = 0; patient < options.Patients; patient++)
        {
            ct.ThrowIfCancellationRequested();
            run.WritePatient(patient);
        }

        return run.Summary();
    }
}
