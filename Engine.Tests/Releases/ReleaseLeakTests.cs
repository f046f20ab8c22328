using System.Text;
using System.Text.Json;
using Nccid.Batch.Synthetic;
using Nccid.Batch.Tests.Audit;
using Nccid.Batch.Tests.Fixtures;
using Nccid.Batch.Tests.Tables;
using Xunit.Abstractions;

namespace Nccid.Batch.Tests.Releases;

/// <summary>
/// Identifiers seeded in half the files, in every place the generator can put them (PatientName, OtherPatientIDs,
/// InstitutionAddress, ReferringPhysicianName, StudyDescription, ImageComments, a private comment), run through the
/// real program's <c>run</c> verb: none reaches any byte of the published release (tables as DuckDB reads them,
/// manifest, README, summary.json, report.html), what the program printed, or the run history.
/// </summary>
public sealed class ReleaseLeakTests(ITestOutputHelper output)
{
    /// <summary>The ledger's detail is "&lt;what&gt; &lt;value&gt;" for identifiers in tags; the value is what must not leak.</summary>
    private static readonly string[] DetailPrefixes = ["name ", "date of birth ", "NHS number ", "address "];

    [Fact]
    public void No_seeded_identifier_reaches_the_release_its_report_the_log_or_the_run_history()
    {
        using var temp = new TempDirectory();
        var corpus = Path.Combine(temp.Path, "corpus");
        var options = new SyntheticCorpusOptions { Patients = 24, Seed = 17 } with { IdentifierInTags = 0.5, IdentifierInFreeText = 0.5 };
        SyntheticCorpusGenerator.Generate(corpus, options, CancellationToken.None);
        var ledger = File.ReadLines(Path.Combine(corpus, SyntheticCorpusGenerator.LedgerFileName)).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(r => r.GetProperty("kind").GetString()!.StartsWith("identifier", StringComparison.Ordinal)).ToList();
        var places = ledger.Select(r => r.GetProperty("kind").GetString() + " " + (r.TryGetProperty("keyword", out var k) ? k.ToString() : "?")).Distinct().Order().ToList();
        // Only what is really in the files (a free-text identifier may have been cut to the attribute's length):
        // the search must be able to find what it looks for.
        var files = Directory.EnumerateFiles(corpus, "*.dcm", SearchOption.AllDirectories).Select(File.ReadAllBytes).ToList();
        var corpusText = string.Concat(files.Select(Encoding.Latin1.GetString)) + string.Concat(files.Select(Encoding.UTF8.GetString));
        var identifiers = ledger.Select(r => Strip(r.GetProperty("detail").GetString()!)).Where(AuditLedgerTests.Searchable)
            .Where(i => corpusText.Contains(i, StringComparison.Ordinal)).Distinct(StringComparer.Ordinal).ToList();
        output.WriteLine($"{ledger.Count} identifiers seeded ({identifiers.Count} distinct searchable) in: {string.Join(", ", places)}");
        Assert.True(identifiers.Count > 20, $"only {identifiers.Count} identifiers were seeded");

        var jobs = Path.Combine(temp.Path, "jobs");
        Directory.CreateDirectory(jobs);
        var releaseOutput = Path.Combine(temp.Path, "out");
        var job = ReleasedCorpusFixture.WriteJob(Path.Combine(jobs, "leak.json"), corpus, releaseOutput);
        var state = Path.Combine(temp.Path, "state");
        var run = CliProcess.Run(["run", job, "--folder", jobs, "--state", state], temp.Path, TimeSpan.FromMinutes(3));
        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);

        var texts = new Dictionary<string, string>(StringComparer.Ordinal) { ["stdout"] = run.Stdout, ["stderr"] = run.Stderr };
        foreach (var file in Directory.EnumerateFiles(releaseOutput, "*", SearchOption.AllDirectories).Concat(Directory.EnumerateFiles(state, "*", SearchOption.AllDirectories)))
        {
            texts[Path.GetRelativePath(temp.Path, file)] = file.EndsWith(".parquet", StringComparison.Ordinal) ? AuditLedgerTests.ParquetText(file) : File.ReadAllText(file, Encoding.UTF8);
        }

        Assert.Contains(texts.Keys, k => k.EndsWith("report.html", StringComparison.Ordinal));
        Assert.Contains(texts.Keys, k => k.EndsWith("summary.json", StringComparison.Ordinal));
        Assert.Contains(texts.Keys, k => k.EndsWith("runs.jsonl", StringComparison.Ordinal));
        foreach (var (where, text) in texts)
        {
            foreach (var identifier in identifiers)
            {
                Assert.False(text.Contains(identifier, StringComparison.Ordinal), $"{where} contains the seeded identifier '{identifier}' (synthetic, so safe to show)");
            }
        }

    }

    private static string Strip(string detail)
    {
        foreach (var prefix in DetailPrefixes)
        {
            if (detail.StartsWith(prefix, StringComparison.Ordinal)) return detail[prefix.Length..];
        }

        return detail;
    }
}
