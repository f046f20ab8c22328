using Nccid.Batch.Audit;
using Nccid.Batch.Tests.Fixtures;

namespace Nccid.Batch.Tests.Audit;

public class AuditsDocumentTests
{
    [Fact]
    public void Committed_audits_doc_matches_the_rule_catalogue()
    {
        var path = Path.Combine(RepositoryRoot.Find(), "docs", "audits.md");
        var rendered = AuditsDocument.Render();
        if (Environment.GetEnvironmentVariable("NCCID_UPDATE_DOCS") == "1") File.WriteAllText(path, rendered);
        Assert.True(File.Exists(path), "docs/audits.md is missing; run the tests with NCCID_UPDATE_DOCS=1 to write it.");
        Assert.Equal(rendered, File.ReadAllText(path));
    }

    [Fact]
    public void Rule_ids_are_unique_and_every_rule_is_described_with_a_reference()
    {
        var rules = AuditChecks.Catalogue();
        Assert.Equal(rules.Count, rules.Select(r => r.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.All(rules, r =>
        {
            Assert.Matches("^[QD]-[A-Z0-9]+-[A-Za-z0-9-]+$", r.Id);
            Assert.False(string.IsNullOrWhiteSpace(r.Description));
            Assert.False(string.IsNullOrWhiteSpace(r.Reference));
            Assert.Equal(r.Id.StartsWith('D') ? RuleCategory.Deidentification : RuleCategory.Quality, r.Category);
        });
    }
}
