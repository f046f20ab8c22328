using System.Diagnostics;
using Nccid.Batch.Tests.Index;

namespace Nccid.Batch.Tests.Cli;

/// <summary>The <c>audit</c> verb run again into the same --out: what changed is read, unchanged chunks keep their parts.</summary>
public sealed class AuditCommandTests
{
    [Fact]
    public async Task A_second_audit_into_the_same_out_takes_unchanged_parts_over_and_equals_a_full_run()
    {
        // Enough files for several chunks in the biggest folder, without defects so the gate passes.
        using var corpus = new IndexedCorpus(patients: 400, defectRate: 0);
        var output = corpus.Out("out");
        string[] common = ["--profile", "nccid", "--include", "*.dcm", "--reference-date", "2024-01-01"];
        var first = await RunAsync(["audit", corpus.Live, "--out", output, .. common]);
        Assert.True(first.Exit == 0, first.Stderr + first.Stdout);
        Assert.DoesNotContain("taken over", first.Stdout, StringComparison.Ordinal);

        var added = corpus.Add(5);
        var second = await RunAsync(["audit", corpus.Live, "--out", output, .. common]);
        Assert.True(second.Exit == 0, second.Stderr + second.Stdout);
        Assert.Contains($"{added} new", second.Stdout, StringComparison.Ordinal);
        Assert.Contains("Table parts taken over from the previous output", second.Stdout, StringComparison.Ordinal);

        var reference = corpus.Out("reference");
        var full = await RunAsync(["audit", corpus.Live, "--out", reference, "--full", .. common]);
        Assert.True(full.Exit == 0, full.Stderr + full.Stdout);
        IndexedCorpus.AssertSameTables(reference, output);
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "nccid-batch.dll"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using (var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3)))
        {
            await process.WaitForExitAsync(limit.Token);
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
