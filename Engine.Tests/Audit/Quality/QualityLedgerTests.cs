using System.Text.Json;
using Nccid.Batch.Audit;
using Nccid.Batch.Audit.Quality;
using Nccid.Batch.Dicom;
using Nccid.Batch.Pipeline;
using Nccid.Batch.Storage;
using Nccid.Batch.Synthetic;

namespace Nccid.Batch.Tests.Audit.Quality;

/// <summary>
/// The quality rules against the synthetic generator's ground truth: every injected structural or attribute defect
/// is found on its file (recall), and a corpus generated without defects yields no warning at all (precision).
/// </summary>
public sealed class QualityLedgerTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "nccid-quality-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Theory]
    [InlineData(11UL)]
    [InlineData(2024UL)]
    public async Task Every_ledger_defect_has_a_finding_of_its_rule_on_its_file(ulong seed)
    {
        var options = new SyntheticCorpusOptions { Patients = 150, Seed = seed };
        var root = Path.Combine(_root, "defects-" + seed);
        SyntheticCorpusGenerator.Generate(root, options, CancellationToken.None);

        var findings = await AuditCorpusAsync(root);
        var byPath = findings.ToLookup(f => f.Path, StringComparer.Ordinal);
        var defects = ReadLedger(root).Where(d => d.Kind is "missing_attribute" or "malformed_attribute" or "duplicate_sop_instance_uid" or "truncated" or "not_dicom").ToList();
        var truncatedFiles = defects.Where(d => d.Kind == "truncated").Select(d => d.Path).ToHashSet(StringComparer.Ordinal);

        var missed = new List<string>();
        foreach (var defect in defects)
        {
            var onFile = byPath[defect.Path].ToList();

            // A defect inside a file that is also cut short cannot be seen: the file is unreadable as a whole,
            // and reported so (asserted by the file's own truncated entry).
            if (defect.Kind is "missing_attribute" or "malformed_attribute" && truncatedFiles.Contains(defect.Path)) continue;
            var (ruleIds, tagPath) = Expected(defect);
            if (!onFile.Any(f => ruleIds.Contains(f.Rule.Id) && (tagPath is null || f.TagPath == tagPath)))
            {
                missed.Add($"{defect.Kind} {defect.Tag} {defect.Detail} at {defect.Path}: found {string.Join(", ", onFile.Select(f => f.Rule.Id + " " + f.TagPath))}");
            }
        }

        Assert.True(defects.Count(d => d.Kind == "malformed_attribute") > 5, "too few malformed attributes to mean anything");
        Assert.True(defects.Count(d => d.Kind == "duplicate_sop_instance_uid") > 5, "too few duplicates to mean anything");
        Assert.True(missed.Count == 0, string.Join(Environment.NewLine, missed));
    }

    [Theory]
    [InlineData(11UL)]
    [InlineData(2024UL)]
    public async Task A_corpus_without_defects_has_no_quality_warning(ulong seed)
    {
        var options = new SyntheticCorpusOptions { Patients = 150, Seed = seed }.WithAllDefectRates(0);
        var root = Path.Combine(_root, "clean-" + seed);
        SyntheticCorpusGenerator.Generate(root, options, CancellationToken.None);

        var findings = await AuditCorpusAsync(root);

        var loud = findings.Where(f => f.Severity >= Severity.Warning).Select(f => $"{f.Rule.Id} {f.TagPath} {f.Detail} at {f.Path}").ToList();
        Assert.True(loud.Count == 0, loud.Count + " findings, first: " + string.Join(Environment.NewLine, loud.Take(20)));
        Assert.Contains(findings, f => f.Rule == QualityRules.RetiredTransferSyntax);
    }

    private static (string[] RuleIds, string? TagPath) Expected(LedgerDefect defect)
    {
        var tagPath = defect.Tag is null ? null : TagPath.Of(Convert.ToUInt32(defect.Tag, 16));
        return defect.Kind switch
        {
            "missing_attribute" => ([QualityRules.Type1Missing.Id, QualityRules.Type2Missing.Id], tagPath),
            "malformed_attribute" => ([RuleForVR(DicomDictionary.LookupVR(Convert.ToUInt32(defect.Tag, 16))).Id], tagPath),
            "duplicate_sop_instance_uid" => (defect.Detail == "byte-identical copy"
                ? [QualityRules.DuplicateIdenticalFile.Id] : [QualityRules.DuplicateConflictingContent.Id], tagPath),
            "truncated" => ([QualityRules.Truncated.Id], null),
            _ => ([QualityRules.NotDicom.Id], null),
        };
    }

    private static AuditRule RuleForVR(DicomVR vr) => vr switch
    {
        DicomVR.DA => QualityRules.InvalidDate,
        DicomVR.UI => QualityRules.InvalidUid,
        DicomVR.DS => QualityRules.InvalidDecimal,
        DicomVR.AS => QualityRules.InvalidAge,
        _ => throw new InvalidOperationException("The generator malforms a " + vr + " value this test does not know."),
    };

    /// <summary>Lists the store, reads each image's header with a worker's reader, checks it, then runs the collection checks.</summary>
    private static async Task<List<AuditFinding>> AuditCorpusAsync(string root)
    {
        var store = new LocalFileStore(root);
        using var reader = new HeaderReader(DicomReadOptions.Default);
        var findings = new List<AuditFinding>();
        var facts = new List<InstanceFacts>();
        await foreach (var stored in store.ListAsync(CancellationToken.None))
        {
            if (!stored.Key.EndsWith(".dcm", StringComparison.Ordinal)) continue;
            var result = await reader.ReadAsync(store, stored, CancellationToken.None);
            var (found, instanceFacts) = QualityHarness.CheckHeader(reader.Header, result, stored, QualityHarness.ReferenceDate, FolderPseudonym(stored.Key));
            findings.AddRange(found);
            facts.Add(instanceFacts);
        }

        findings.AddRange(await QualityHarness.CompleteAsync(store, facts));
        return findings;
    }

    /// <summary>The warehouse layout: {training|validation}/{xray|ct|mri}/&lt;Pseudonym&gt;/&lt;Study&gt;/&lt;Series&gt;/file.</summary>
    private static string? FolderPseudonym(string key)
    {
        var parts = key.Split('/');
        return parts.Length == 6 && parts[0] is "training" or "validation" && parts[1] is "xray" or "ct" or "mri" ? parts[2] : null;
    }

    private static List<LedgerDefect> ReadLedger(string root)
    {
        var defects = new List<LedgerDefect>();
        foreach (var line in File.ReadLines(Path.Combine(root, SyntheticCorpusGenerator.LedgerFileName)))
        {
            using var doc = JsonDocument.Parse(line);
            var e = doc.RootElement;
            var kind = e.GetProperty("kind").GetString()!;
            if (kind == "clinical_value") continue;
            defects.Add(new LedgerDefect(kind, e.GetProperty("path").GetString()!,
                e.TryGetProperty("tag", out var tag) ? tag.GetString() : null, e.GetProperty("detail").GetString()!));
        }

        return defects;
    }

    private sealed record LedgerDefect(string Kind, string Path, string? Tag, string Detail);
}
