using Nccid.Batch.Clinical;
using Nccid.Batch.Tests.Tables;
using Xunit.Abstractions;

namespace Nccid.Batch.Tests.Clinical;

/// <summary>Bad clinical files: each becomes a quarantine entry naming the file, the place in it and what is wrong.</summary>
public sealed class ClinicalFileErrorTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Every_bad_clinical_file_is_quarantined_with_its_file_place_and_reason()
    {
        Write("training/data/C000001/data_2021-01-01.json", "[1, 2]");
        Write("training/data/C000002/data_2021-01-01.json", "{\"Pseudonym\": \"C000002\",\n \"Age (years)\": 50,\n \"Sex\": \"F\"\n \"CRP\": 5}");
        Write("training/data/C000003/data_2021-01-01.json", "");
        Write("training/data/C000004/data_2021-13-45.json", "{\"Pseudonym\": \"C000004\"}");
        Write("training/data/C000005/data_2021-01-01.json", "{\"Pseudonym\": \"C999999\"}");
        Write("training/data/C000006/data_2021-01-01.json", "\uFEFF{\"Pseudonym\": \"C000006\", \"Age (years)\": \"fifty\"}");
        Write("training/data/export-2021-01-01.csv", "Pseudonym,Sex\nC000010,M\nC000011,F,extra,cells\n\"C000012,M\n");
        Write("training/data/empty-2021-01-01.csv", "");

        var dataset = ClinicalLoader.Load(_temp.Path, ClinicalLoadOptions.Default, CancellationToken.None);
        foreach (var q in dataset.Quarantine) output.WriteLine($"{q.Path} | {q.Pseudonym} | {string.Join(" / ", q.Reasons)}");

        var reasons = dataset.Quarantine.ToDictionary(q => q.Path, q => Assert.Single(q.Reasons), StringComparer.Ordinal);
        Assert.Equal(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["training/data/C000001/data_2021-01-01.json"] = "the JSON root is not an object",
            ["training/data/C000002/data_2021-01-01.json"] = "not valid JSON (line 4, byte 2 of that line)",
            ["training/data/C000003/data_2021-01-01.json"] = "not valid JSON (line 1, byte 1 of that line)",
            ["training/data/C000004/data_2021-13-45.json"] = "the file name is not data_YYYY-MM-DD.json or status_YYYY-MM-DD.json with a real date",
            ["training/data/C000005/data_2021-01-01.json"] = "the pseudonym in the record differs from the folder name",
            ["training/data/empty-2021-01-01.csv:1"] = "the CSV file is empty: no header row and no records",
            ["training/data/export-2021-01-01.csv:4"] =
                "a quoted cell of this row is never closed, so the rest of the file was read into it; close the quote (a quote inside a cell is written \"\")",
        }, reasons);

        // A byte order mark is not an error; the good CSV rows before the broken one are records; no garbage record
        // is made of the unclosed quote.
        Assert.Equal(["C000006", "C000010", "C000011"], dataset.Patients.Select(p => p.Pseudonym).Order(StringComparer.Ordinal));
        Assert.Null(dataset.Patients.Single(p => p.Pseudonym == "C000006").Age);
    }

    [Fact]
    public void A_file_that_cannot_be_read_is_quarantined_and_the_patients_older_file_is_used()
    {
        Write("training/data/C000001/data_2021-01-01.json", "{\"Pseudonym\": \"C000001\", \"Sex\": \"F\"}");
        Link("training/data/C000001/data_2021-02-01.json");
        Link("training/data/C000002/data_2021-01-01.json");
        Write("training/data/C000003/data_2021-01-01.json", "{\"Pseudonym\": \"C000003\"}");

        var dataset = ClinicalLoader.Load(_temp.Path, ClinicalLoadOptions.Default, CancellationToken.None);

        Assert.Equal(
            [
                ("training/data/C000001/data_2021-02-01.json", "the file cannot be read: it is gone or a broken link"),
                ("training/data/C000002/data_2021-01-01.json", "the file cannot be read: it is gone or a broken link"),
            ],
            dataset.Quarantine.Select(q => (q.Path, Assert.Single(q.Reasons))).Order());
        Assert.Equal(["C000001", "C000003"], dataset.Patients.Select(p => p.Pseudonym).Order(StringComparer.Ordinal));
        Assert.Equal("F", dataset.Patients.Single(p => p.Pseudonym == "C000001").Sex);
    }

    private void Link(string relative)
    {
        var path = Path.Combine(_temp.Path, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.CreateSymbolicLink(path, Path.Combine(_temp.Path, "nowhere.json"));
    }

    private void Write(string relative, string content)
    {
        var path = Path.Combine(_temp.Path, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
