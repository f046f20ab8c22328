using Nccid.Batch.Tests.Fixtures;
using Nccid.Batch.Tests.Index;

namespace Nccid.Batch.Tests.Cli;

/// <summary>The <c>audit</c> verb run again into the same --out: what changed is read, unchanged chunks keep their parts and their collection findings.</summary>
public sealed class AuditCommandTests
{
    [Fact]
    public void A_second_audit_into_the_same_out_takes_unchanged_parts_over_and_equals_a_full_run()
    {
        // Enough files for several chunks in the biggest folder, without defects so the gate passes.
        using var corpus = new IndexedCorpus(patients: 400, defectRate: 0);
        var output = corpus.Out("out");
        string[] common = ["--profile", "nccid", "--include", "*.dcm", "--reference-date", "2024-01-01"];
        var first = Run(["audit", corpus.Live, "--out", output, .. common]);
        Assert.True(first.ExitCode == 0, first.Stderr + first.Stdout);
        Assert.DoesNotContain("Table parts taken over", first.Stdout, StringComparison.Ordinal);

        var added = corpus.Add(5);
        var second = Run(["audit", corpus.Live, "--out", output, .. common]);
        Assert.True(second.ExitCode == 0, second.Stderr + second.Stdout);
        Assert.Contains($"{added} new", second.Stdout, StringComparison.Ordinal);
        Assert.Contains("Table parts taken over from the previous output", second.Stdout, StringComparison.Ordinal);
        // The collection rules kept the unchanged chunks too (their state is beside the index in --out).
        Assert.Matches(@"Collection rules: [1-9][0-9]* chunks kept, 0 of them read back\.", second.Stdout);

        var reference = corpus.Out("reference");
        var full = Run(["audit", corpus.Live, "--out", reference, "--full", .. common]);
        Assert.True(full.ExitCode == 0, full.Stderr + full.Stdout);
        IndexedCorpus.AssertSameTables(reference, output);
    }

    private static CliProcess.Output Run(string[] arguments) => CliProcess.Run(arguments, Path.GetTempPath(), TimeSpan.FromMinutes(3));
}
