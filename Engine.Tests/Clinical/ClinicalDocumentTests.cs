using Nccid.Batch.Clinical;
using Nccid.Batch.Tests.Fixtures;

namespace Nccid.Batch.Tests.Clinical;

public sealed class ClinicalDocumentTests
{
    // Set to 1 to rewrite docs/clinical.md from the rule table instead of comparing.
    private const string UpdateVariable = "NCCID_UPDATE_DOCS";

    [Fact]
    public void Committed_clinical_doc_matches_the_rule_table()
    {
        var path = Path.Combine(RepositoryRoot.Find(), "docs", "clinical.md");
        var rendered = ClinicalDocument.Render();
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllText(path, rendered);
        }

        Assert.True(File.Exists(path), $"{path} is missing; run this test with {UpdateVariable}=1 to create it.");
        Assert.True(
            string.Equals(rendered, File.ReadAllText(path).ReplaceLineEndings("\n"), StringComparison.Ordinal),
            $"{path} differs from ClinicalDocument.Render(); run this test with {UpdateVariable}=1 and commit the result.");
    }

    [Fact]
    public void Document_lists_every_field_and_every_patients_column()
    {
        var text = ClinicalDocument.Render();

        Assert.All(ClinicalRules.Fields, rule => Assert.Contains("| `" + rule.CanonicalName + "` |", text, StringComparison.Ordinal));
        Assert.All(PatientsTable.Schema.Columns, column => Assert.Contains("| `" + column.Name + "` | " + column.DuckDbTypeName, text, StringComparison.Ordinal));
        Assert.Contains("`PMH h1pertension`", text, StringComparison.Ordinal);
        Assert.Contains("`1` = male → M", text, StringComparison.Ordinal);
        Assert.Contains("0.21 + 0.04 × L/min", text, StringComparison.Ordinal);
        Assert.EndsWith("|\n", text, StringComparison.Ordinal);
    }
}
