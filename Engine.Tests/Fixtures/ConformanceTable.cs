namespace Nccid.Batch.Tests.Fixtures;

/// <summary>
/// The disagreements with one reference that docs/conformance.md allows: the rows of the table under the
/// "## Listed disagreements" heading, columns File | Field | pydicom | dcmdump | ours | Reason, values in backticks.
/// </summary>
public static class ConformanceTable
{
    public const string DocumentPath = "docs/conformance.md";
    private const string Heading = "## Listed disagreements";

    /// <summary>One listed disagreement: what each tool says for one field of one file.</summary>
    public sealed record Row(string File, string Field, string Pydicom, string Dcmdump, string Ours, string Reason)
    {
        /// <summary>The row without its reason, for comparing with what the tools say now.</summary>
        public Disagreement Key => new(File, Field, Pydicom, Dcmdump, Ours);
    }

    /// <summary>What the three readers say for one field of one file, as written in the table.</summary>
    public sealed record Disagreement(string File, string Field, string Pydicom, string Dcmdump, string Ours)
    {
        public override string ToString() =>
            $"| `{File}` | {Field} | `{Pydicom}` | `{Dcmdump}` | `{Ours}` |";
    }

    private static readonly Lazy<IReadOnlyList<Row>> Rows = new(Load);

    /// <summary>Every listed row.</summary>
    public static IReadOnlyList<Row> All => Rows.Value;

    /// <summary>How a field's value is written in the table: (absent), (empty), (rejected), or the value itself.</summary>
    public static string Display(ConformanceReading reading, string field)
    {
        if (field == "status") return reading.Get(field)!;
        if (!reading.Ok) return "(rejected)";
        return reading.Get(field) switch
        {
            null => "(absent)",
            "" => "(empty)",
            var value => value,
        };
    }

    private static List<Row> Load()
    {
        var path = RepositoryPaths.File(DocumentPath);
        var rows = new List<Row>();
        var inSection = false;
        foreach (var line in File.ReadAllLines(path))
        {
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                inSection = line.Trim() == Heading;
                continue;
            }

            if (!inSection || !line.StartsWith('|')) continue;
            var cells = line.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            if (cells.Length != 6) throw new InvalidOperationException($"{DocumentPath}: a disagreement row needs 6 cells: {line}");
            if (cells[0] == "File" || cells[0].StartsWith("---", StringComparison.Ordinal)) continue;
            rows.Add(new Row(Unquote(cells[0]), cells[1], Unquote(cells[2]), Unquote(cells[3]), Unquote(cells[4]), cells[5]));
        }

        return rows;
    }

    private static string Unquote(string cell) => cell.Length >= 2 && cell[0] == '`' && cell[^1] == '`' ? cell[1..^1] : cell;
}
