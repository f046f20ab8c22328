using System.Reflection;
using System.Text.RegularExpressions;
using Nccid.Batch.Audit;
using Nccid.Batch.Audit.Quality;
using Nccid.Batch.Dicom;
using Nccid.Batch.Pipeline;
using Nccid.Batch.Storage;

namespace Nccid.Batch.Tests.Audit.Quality;

public sealed partial class QualityCatalogueTests
{
    [Fact]
    public void Every_quality_rule_is_in_the_catalogue_once_with_an_id_a_description_and_a_reference()
    {
        var declared = typeof(QualityRules).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (AuditRule)f.GetValue(null)!).ToList();
        var catalogue = AuditChecks.Catalogue().Where(r => r.Category == RuleCategory.Quality).ToList();

        Assert.Equal(declared.Select(r => r.Id).Order(StringComparer.Ordinal), catalogue.Select(r => r.Id));
        Assert.All(catalogue, r =>
        {
            Assert.Matches(RuleId(), r.Id);
            Assert.False(string.IsNullOrWhiteSpace(r.Description));
            Assert.DoesNotContain('\n', r.Description);
            Assert.False(string.IsNullOrWhiteSpace(r.Reference));
        });
    }

    [Fact]
    public void A_profile_can_switch_a_rule_off_and_change_a_severity()
    {
        var profile = AuditProfile.Basic with
        {
            Rules = new Dictionary<string, RuleOverride>
            {
                ["Q-ATTR-002"] = new(Enabled: false),
                ["Q-ATTR-001"] = new(Severity: Severity.Critical),
            },
        };
        var ds = QualityFixtures.Image();
        ds.Remove(QualityFixtures.T(DicomTags.StudyDate));
        ds.Remove(QualityFixtures.T(DicomTags.SOPInstanceUID));
        var bytes = QualityFixtures.Bytes(ds);
        using var header = new DicomHeader();
        var status = DicomParser.Parse(bytes, bytes.Length, header, DicomReadOptions.Default);
        var stored = new StoredObject("x.dcm", bytes.Length, default);
        var result = new HeaderReadResult(status, bytes.Length, 1, header.Error);
        var context = new InstanceContext(stored, header, result, QualityHarness.Facts(header, result, stored, null), QualityHarness.ReferenceDate);
        var findings = new FindingCollector(profile);

        foreach (var check in AuditChecks.For(profile).InstanceChecks) check.Check(context, findings);

        var finding = Assert.Single(findings.Findings, f => f.Rule.Category == RuleCategory.Quality && f.Rule.Id != "Q-FILE-010");
        Assert.Equal(("Q-ATTR-001", Severity.Critical), (finding.Rule.Id, finding.Severity));
    }

    [Fact]
    public void Checking_a_clean_instance_allocates_nothing()
    {
        var bytes = QualityFixtures.Bytes(QualityFixtures.Image(QualityFixtures.MrClass));
        using var header = new DicomHeader();
        var status = DicomParser.Parse(bytes, bytes.Length, header, DicomReadOptions.Default);
        var stored = new StoredObject("x.dcm", bytes.Length, default);
        var result = new HeaderReadResult(status, bytes.Length, 1, header.Error);
        var context = new InstanceContext(stored, header, result, new InstanceFacts { Path = "x.dcm", Readable = true }, QualityHarness.ReferenceDate);
        var findings = new FindingCollector(AuditProfile.Basic);
        var checks = QualityHarness.Checks().Instance;
        foreach (var check in checks) check.Check(context, findings); // warm up lazy statics

        var allocated = new List<string>();
        foreach (var check in checks)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 100; i++) check.Check(context, findings);
            var bytesPerCheck = GC.GetAllocatedBytesForCurrentThread() - before;
            if (bytesPerCheck > 0) allocated.Add(check.GetType().Name + " " + bytesPerCheck);
        }

        Assert.Empty(findings.Findings);
        Assert.Empty(allocated);
    }

    [GeneratedRegex("^Q-(FILE|ATTR|VR|DATE|PIXEL|SERIES|STUDY|PATIENT|DUP)-[0-9]{3}$")]
    private static partial Regex RuleId();
}
