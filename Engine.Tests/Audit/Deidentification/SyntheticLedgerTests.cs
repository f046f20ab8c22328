using System.Globalization;
using System.Text.Json;
using Nccid.Batch.Audit;
using Nccid.Batch.Audit.Deidentification;
using Nccid.Batch.Synthetic;

namespace Nccid.Batch.Tests.Audit.Deidentification;

/// <summary>
/// The de-identification check against the generator's ground truth: every injected identifier is found where
/// the ledger says, no finding repeats an identifier, and the clean corpus passes the NCCID profile.
/// </summary>
public sealed class SyntheticLedgerTests : IDisposable
{
    private static readonly string[] IdentifierKinds = ["identifier_in_tag", "identifier_in_free_text"];
    private readonly string _root = Path.Combine(Path.GetTempPath(), "nccid-deid-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Theory]
    [InlineData(21UL)]
    [InlineData(22UL)]
    public void Every_injected_identifier_is_found_on_its_file_and_tag_and_never_repeated(ulong seed)
    {
        var root = Generate(seed, new SyntheticCorpusOptions { Patients = 150, Seed = seed, IdentifierInTags = 0.05, IdentifierInFreeText = 0.05 });
        var all = Ledger(root).ToArray();

        // A file cut inside its header may have lost the injected element with the rest of the header.
        var cut = all.Where(e => e.Kind == "truncated" && !e.Detail.EndsWith("inside pixel data", StringComparison.Ordinal))
            .Select(e => e.Path).ToHashSet(StringComparer.Ordinal);
        var ledger = all.Where(e => IdentifierKinds.Contains(e.Kind)).ToArray();
        Assert.True(ledger.Length >= 20, $"only {ledger.Length} identifier defects");

        // The strictest reading: every entry must be found by some rule.
        var basic = Audit(root, AuditProfile.Basic);

        // The profile the release claims, with descriptions cleaned, the vendors' private blocks safe and the
        // generator's name lists: free-text identifiers must then be found by the text scanners themselves.
        var textOnly = AuditProfile.Nccid with
        {
            Deidentification = AuditProfile.Nccid.Deidentification with
            {
                CleanDescriptors = true,
                RetainInstitutionIdentity = true,
                RetainSafePrivate = true,
                SafePrivateCreators =
                [
                    "GEMS_IDEN_01", "GEMS_PARM_01", "SIEMENS CSA HEADER", "SIEMENS MEDCOM HEADER2", "Philips Imaging DD 001",
                    "TOSHIBA_MEC_CT3", "FDMS 1.0", "AGFA", "CARESTREAM IMAGE INFORMATION",
                ],
                Names = [.. SyntheticCatalogue.FirstNames, .. SyntheticCatalogue.LastNames],
            },
        };
        var text = Audit(root, textOnly);

        var checkedEntries = 0;
        foreach (var entry in ledger)
        {
            if (!basic.Readable.Contains(entry.Path) || cut.Contains(entry.Path)) continue;
            checkedEntries++;
            var where = TagPath.Of(entry.Tag);
            Assert.True(basic.Findings.Any(f => f.Path == entry.Path && f.TagPath == where), $"Basic: nothing found for {entry.Kind} {entry.Keyword} in {entry.Path}");

            if (entry.Kind == "identifier_in_free_text")
            {
                Assert.True(text.Findings.Any(f => f.Path == entry.Path && f.TagPath == where && f.Rule.Id.StartsWith("D-TEXT-", StringComparison.Ordinal)),
                    $"text scanners missed {entry.Keyword} in {entry.Path}");
            }
            else if (!entry.Detail.EndsWith("0101", StringComparison.Ordinal))
            {
                Assert.True(text.Findings.Any(f => f.Path == entry.Path && f.TagPath == where && f.Severity >= Severity.Error),
                    $"NCCID: nothing at Error or above for {entry.Keyword} in {entry.Path}");
            }
        }

        Assert.True(checkedEntries >= 20, $"only {checkedEntries} entries on readable files");
        var secrets = ledger.SelectMany(e => Secrets(e.Detail)).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        foreach (var finding in basic.Findings.Concat(text.Findings))
        {
            foreach (var secret in secrets)
            {
                Assert.False(finding.Detail.Contains(secret, StringComparison.OrdinalIgnoreCase), $"{finding.Rule.Id} detail '{finding.Detail}' repeats '{secret}'");
            }
        }
    }

    [Fact]
    public void Clean_corpus_has_no_finding_at_error_or_above_under_the_nccid_profile()
    {
        var root = Generate(23, new SyntheticCorpusOptions { Patients = 150, Seed = 23 }.WithAllDefectRates(0));

        var result = Audit(root, AuditProfile.Nccid);

        Assert.True(result.Readable.Count > 500, $"only {result.Readable.Count} readable files");
        var serious = result.Findings.Where(f => f.Severity >= Severity.Error).ToArray();
        Assert.True(serious.Length == 0, string.Join("\n", serious.Take(20).Select(f => $"{f.Rule.Id} {f.TagPath} {f.Detail} {f.Path}")));

        // Sex and age are kept under Retain Patient Characteristics, which the NCCID profile claims; descriptions are
        // not cleaned by the profile, so their presence remains a warning.
        var warnings = result.Findings.Select(f => f.Rule.Id).ToHashSet(StringComparer.Ordinal);
        Assert.DoesNotContain("D-E1-PatientSex", warnings);
        Assert.Contains("D-E1-StudyDescription", warnings);
    }

    private string Generate(ulong seed, SyntheticCorpusOptions options)
    {
        var root = Path.Combine(_root, seed.ToString(CultureInfo.InvariantCulture));
        SyntheticCorpusGenerator.Generate(root, options, CancellationToken.None);
        return root;
    }

    private static (List<AuditFinding> Findings, HashSet<string> Readable) Audit(string root, AuditProfile profile)
    {
        var check = new DeidentificationCheck(profile);
        var findings = new List<AuditFinding>();
        var readable = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(root, "*.dcm", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var path = Path.GetRelativePath(root, file).Replace('\\', '/');
            var parts = path.Split('/');

            // Warehouse layout: {training|validation}/{xray|ct|mri}/<Pseudonym>/...
            var pseudonym = parts.Length > 3 ? parts[2] : null;
            var found = DeidentificationHarness.Run(File.ReadAllBytes(file), check, profile, path, pseudonym, out var complete);
            if (!complete) continue;
            readable.Add(path);
            findings.AddRange(found);
        }

        return (findings, readable);
    }

    private static IEnumerable<(string Kind, string Path, uint Tag, string Keyword, string Detail)> Ledger(string root)
    {
        foreach (var line in File.ReadLines(Path.Combine(root, SyntheticCorpusGenerator.LedgerFileName)))
        {
            using var json = JsonDocument.Parse(line);
            var e = json.RootElement;
            if (!e.TryGetProperty("path", out var path)) continue;
            var tag = e.TryGetProperty("tag", out var t) ? uint.Parse(t.GetString()!, NumberStyles.HexNumber, CultureInfo.InvariantCulture) : 0;
            var keyword = e.TryGetProperty("keyword", out var k) ? k.GetString()! : string.Empty;
            var detail = e.TryGetProperty("detail", out var d) ? d.GetString()! : string.Empty;
            yield return (e.GetProperty("kind").GetString()!, path.GetString()!, tag, keyword, detail);
        }
    }

    /// <summary>The parts of a ledger detail that identify someone: names, numbers, dates, street and town words.</summary>
    private static IEnumerable<string> Secrets(string detail)
    {
        string[] labels = ["name", "date", "birth", "number", "address", "NHS", "DOB"];
        foreach (var token in detail.Split([' ', '^', ','], StringSplitOptions.RemoveEmptyEntries))
        {
            if (token.Length >= 4 && !labels.Contains(token, StringComparer.OrdinalIgnoreCase)) yield return token;
        }
    }
}
