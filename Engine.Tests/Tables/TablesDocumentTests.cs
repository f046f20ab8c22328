using Nccid.Batch.Tables;
using Xunit;

namespace Nccid.Batch.Tests.Tables;

public sealed class TablesDocumentTests
{
    // Set to 1 to rewrite docs/tables.md from the schemas instead of comparing.
    private const string UpdateVariable = "NCCID_UPDATE_DOCS";

    [Fact]
    public void Committed_tables_doc_matches_the_schemas()
    {
        var path = Path.Combine(Nccid.Batch.Tests.Fixtures.RepositoryRoot.Find(), "docs", "tables.md");
        var rendered = TablesDocument.Render();
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, rendered);
        }

        Assert.True(File.Exists(path), $"{path} is missing; run this test with {UpdateVariable}=1 to create it.");
        var committed = File.ReadAllText(path).ReplaceLineEndings("\n");
        Assert.True(
            string.Equals(rendered, committed, StringComparison.Ordinal),
            $"{path} differs from TablesDocument.Render(); run this test with {UpdateVariable}=1 and commit the result.");
    }

    [Fact]
    public void Document_lists_every_column_with_its_DuckDB_type()
    {
        var lines = TablesDocument.Render().Split('\n');

        foreach (var column in InstancesTable.Schema.Columns)
        {
            var row = $"| `{column.Name}` | {column.DuckDbTypeName} | {(column.Nullable ? "yes" : "no")} | {column.Description} |";
            Assert.Contains(row, lines);
        }
    }

    [Fact]
    public void Document_says_how_to_read_the_instances_table()
    {
        var text = TablesDocument.Render();

        Assert.Contains("SELECT * FROM read_parquet('<out>/instances/*.parquet')", text, StringComparison.Ordinal);
        Assert.Contains("pd.read_parquet('<out>/instances')", text, StringComparison.Ordinal);
        Assert.Contains("One row per scanned DICOM file", text, StringComparison.Ordinal);
        Assert.Contains("`status = 'error'`", text, StringComparison.Ordinal);
        Assert.EndsWith("|\n", text, StringComparison.Ordinal);
    }
}
