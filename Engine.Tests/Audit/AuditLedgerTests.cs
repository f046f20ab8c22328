using System.Text;
using System.Text.Json;
using Nccid.Batch.Audit;
using Nccid.Batch.Pipeline;
using Nccid.Batch.Storage;
using Nccid.Batch.Synthetic;
using Nccid.Batch.Tables;
using Nccid.Batch.Tests.Tables;

namespace Nccid.Batch.Tests.Audit;

/// <summary>
/// The whole audit (the real one-pass pipeline, not the checks alone) against the generator's ledger: every injected
/// defect is found on its file, untouched files have no error, and no injected identifier reaches any output.
/// </summary>
public sealed class AuditLedgerTests
{
    private sealed record Defect(string Kind, string Path, string? Tag, string Detail);

    private static List<Defect> Ledger(string corpus) =>
        File.ReadLines(Path.Combine(corpus, SyntheticCorpusGenerator.LedgerFileName)).Select(line =>
        {
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            return new Defect(r.GetProperty("kind").GetString()!, r.GetProperty("path").GetString()!,
                r.TryGetProperty("tag", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null,
                r.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()! : string.Empty);
        }).Where(d => d.Kind != "clinical_value").ToList();

    private static async Task<(string Output, AuditSummary Summary)> Audit(TempDirectory temp, string corpus, AuditProfile profile)
    {
        var output = Path.Combine(temp.Path, "out-" + profile.Name);
        var summary = await AuditScan.RunAsync(new LocalFileStore(corpus), output, profile, new ScanOptions { Parallelism = 4, IncludeNames = ["*.dcm"] },
            new ParquetPartOptions(), new DateOnly(2022, 1, 1), includeHeaderJson: true, null, TimeProvider.System, null, null, CancellationToken.None);
        return (output, summary);
    }

    private static Dictionary<string, List<(string Rule, string Severity, string TagPath)>> Findings(string output, string table)
    {
        var result = new Dictionary<string, List<(string, string, string)>>(StringComparer.Ordinal);
        foreach (var row in DuckDb.Query($"SELECT path, rule_id, severity, tag_path FROM read_parquet({DuckDb.Parts(Path.Combine(output, table))})"))
        {
            var path = (string)row[0]!;
            if (!result.TryGetValue(path, out var list)) result[path] = list = [];
            list.Add(((string)row[1]!, (string)row[2]!, (string)row[3]!));
        }

        return result;
    }

    [Theory]
    [InlineData(5UL, 0.02)]
    [InlineData(77UL, 0.05)]
    public async Task Every_injected_defect_is_found_and_untouched_files_have_no_error(ulong seed, double rate)
    {
        using var temp = new TempDirectory();
        var corpus = Path.Combine(temp.Path, "corpus");
        SyntheticCorpusGenerator.Generate(corpus, new SyntheticCorpusOptions { Patients = 60, Seed = seed }.WithAllDefectRates(rate), CancellationToken.None);
        var ledger = Ledger(corpus);
        Assert.NotEmpty(ledger);
        var (output, _) = await Audit(temp, corpus, AuditProfile.Nccid);
        var quality = Findings(output, "quality_findings");
        var deid = Findings(output, "deid_findings");

        foreach (var defect in ledger)
        {
            var identifier = defect.Kind.StartsWith("identifier", StringComparison.Ordinal);
            var table = identifier ? deid : quality;
            var unreadable = quality.TryGetValue(defect.Path, out var q) && q.Any(f => f.Rule.StartsWith("Q-FILE", StringComparison.Ordinal));
            // A file cut inside its header may have lost the injected element with the cut; its truncation is then the finding.
            Assert.True(table.ContainsKey(defect.Path) || unreadable, $"{defect.Kind} on {defect.Path} ({defect.Tag}) was not found");
        }

        var touched = ledger.Select(d => d.Path).ToHashSet(StringComparer.Ordinal);
        foreach (var d in ledger.Where(d => d.Kind == "duplicate_sop_instance_uid"))
        {
            // The original of a duplicated instance rightly shares the duplicate's finding.
            foreach (var (path, list) in quality.Where(kv => kv.Value.Any(f => f.Rule.StartsWith("Q-DUP", StringComparison.Ordinal)))) touched.Add(path);
        }

        foreach (var (path, list) in quality.Concat(deid))
        {
            if (touched.Contains(path)) continue;
            var serious = list.Where(f => f.Severity is "error" or "critical").ToList();
            Assert.True(serious.Count == 0, $"{path} was not touched by the generator but has {string.Join(", ", serious.Select(f => f.Rule + " " + f.TagPath))}");
        }
    }

    [Fact]
    public async Task No_injected_identifier_reaches_any_output_file()
    {
        using var temp = new TempDirectory();
        var corpus = Path.Combine(temp.Path, "corpus");
        var options = new SyntheticCorpusOptions { Patients = 60, Seed = 9 } with { IdentifierInTags = 0.2, IdentifierInFreeText = 0.2 };
        SyntheticCorpusGenerator.Generate(corpus, options, CancellationToken.None);
        var identifiers = Ledger(corpus).Where(d => d.Kind.StartsWith("identifier", StringComparison.Ordinal))
            .Select(d => d.Detail).Where(Searchable).Distinct(StringComparer.Ordinal).ToList();
        Assert.True(identifiers.Count > 10, $"only {identifiers.Count} identifiers were injected");

        foreach (var profile in new[] { AuditProfile.Basic, AuditProfile.Nccid })
        {
            var (output, _) = await Audit(temp, corpus, profile);
            foreach (var file in Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories))
            {
                var text = file.EndsWith(".parquet", StringComparison.Ordinal) ? ParquetText(file) : File.ReadAllText(file, Encoding.UTF8);
                foreach (var identifier in identifiers)
                {
                    Assert.False(text.Contains(identifier, StringComparison.Ordinal), $"{Path.GetRelativePath(output, file)} contains the injected identifier '{identifier}' ({profile.Name} profile); synthetic, so safe to show");
                }
            }
        }
    }

    /// <summary>Short all-digit strings can occur inside UIDs by chance; longer ones and text cannot.</summary>
    internal static bool Searchable(string identifier) =>
        identifier.Length >= 6 && (!identifier.All(c => char.IsDigit(c) || c == ' ') || identifier.Count(char.IsDigit) >= 10);

    /// <summary>Every value of every column of a Parquet file, as DuckDB reads it, in one string.</summary>
    internal static string ParquetText(string file)
    {
        var text = new StringBuilder();
        foreach (var row in DuckDb.Query($"SELECT * FROM read_parquet('{file.Replace("'", "''", StringComparison.Ordinal)}')"))
        {
            foreach (var value in row)
            {
                if (value is System.Collections.IEnumerable list and not string)
                {
                    foreach (var item in list) text.Append(item).Append('\u001f');
                }
                else
                {
                    text.Append(value).Append('\u001f');
                }
            }
        }

        return text.ToString();
    }
}
