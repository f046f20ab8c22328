using System.Globalization;
using System.Reflection;
using Nccid.Batch.Clinical;
using Nccid.Batch.Releases;
using Nccid.Batch.Tests.Tables;

namespace Nccid.Batch.Tests.Releases;

/// <summary>The release keeps its clinical records on disk between the load and the patients table: every field must come back as it was.</summary>
public sealed class PatientRecordSpillTests
{
    /// <summary>A record with every property set to a value unlike its default, each differing by <paramref name="seed"/>.</summary>
    private static PatientRecord Filled(int seed)
    {
        var record = new PatientRecord();
        foreach (var property in typeof(PatientRecord).GetProperties())
        {
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            object value = type == typeof(string) ? $"v{seed} \"é\"\n\t{property.Name} 𝄞"
                : type == typeof(int) ? 1_000 + seed
                : type == typeof(double) ? (0.1 + 0.2) * (seed + 1) / 3e7
                : type == typeof(bool) ? seed % 2 == 0
                : type == typeof(DateOnly) ? new DateOnly(2020, 2, 29).AddDays(seed)
                : type == typeof(IReadOnlyList<string>) ? new[] { "crp", "ferritin", "x" + seed }
                : throw new InvalidOperationException($"{property.Name}: a type the test does not fill ({type}).");
            property.SetValue(record, value);
        }

        return record;
    }

    private static string Describe(PatientRecord record) => string.Join("\n", typeof(PatientRecord).GetProperties().Select(p => p.Name + "=" + p.GetValue(record) switch
    {
        IReadOnlyList<string> list => string.Join(",", list),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        var v => Convert.ToString(v, CultureInfo.InvariantCulture),
    }));

    [Fact]
    public void Every_field_of_every_record_comes_back_in_order_and_the_file_goes_on_dispose()
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "records.jsonl");
        var records = Enumerable.Range(0, 5).Select(Filled).Append(new PatientRecord { Pseudonym = "w-only-a-pseudonym" }).ToList();

        using (var spill = PatientRecordSpill.Create(path))
        {
            foreach (var record in records) spill.Add(record);
            Assert.Throws<InvalidOperationException>(() => spill.Read());
            spill.Complete();
            Assert.Equal(records.Count, spill.Count);
            Assert.Equal(records.Select(Describe), spill.Read().Select(Describe));
            // Read twice, the same.
            Assert.Equal(records.Select(Describe), spill.Read().Select(Describe));
            Assert.Throws<InvalidOperationException>(() => spill.Add(new PatientRecord { Pseudonym = "z" }));
        }

        Assert.False(File.Exists(path));
    }

    [Theory]
    [InlineData("C2", "C1")]
    [InlineData("C1", "C1")]
    [InlineData("c1", "C2")]
    public void A_record_that_is_not_after_the_last_is_refused(string first, string second)
    {
        using var temp = new TempDirectory();
        using var spill = PatientRecordSpill.Create(Path.Combine(temp.Path, "records.jsonl"));
        spill.Add(new PatientRecord { Pseudonym = first });

        var error = Assert.Throws<InvalidOperationException>(() => spill.Add(new PatientRecord { Pseudonym = second }));

        Assert.Contains("records.jsonl", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, spill.Count);
    }

    [Fact]
    public void The_patient_tally_counts_what_grouping_every_record_counts()
    {
        var random = new Random(5);
        string? Pick(params string?[] values) => values[random.Next(values.Length)];
        var records = Enumerable.Range(0, 400).Select(n => new PatientRecord
        {
            Pseudonym = "p" + n, SubmittingCentre = Pick("A", "B", null, "Ä"), Split = Pick("training", "validation", null), Status = Pick("positive", "negative", null),
            Sex = Pick("F", "M", "U", null), Age = random.Next(5) == 0 ? null : random.Next(0, 100), Ethnicity = Pick("A", "B", null), EthnicGroup = Pick("White", null),
            ItuAdmission = random.Next(3) switch { 0 => true, 1 => false, _ => null }, Death = random.Next(3) switch { 0 => true, 1 => false, _ => null },
            SwabDate = random.Next(4) == 0 ? null : new DateOnly(2020, 3, 1).AddDays(random.Next(300)), Crp = random.Next(2) == 0 ? null : random.NextDouble(),
        }).ToList();
        var tally = new ReleaseDocuments.PatientTally();
        foreach (var r in records) tally.Add(r);

        // The reference groups the whole list, as the documents once did.
        static (string, long)[] Count(IEnumerable<string> labels) =>
            labels.GroupBy(l => l, StringComparer.Ordinal).Select(g => (g.Key, (long)g.Count())).OrderBy(x => x.Key, StringComparer.Ordinal).ToArray();
        var sections = tally.Sections.ToDictionary(s => s.Title, s => s.Counts.ToArray());
        Assert.Equal(9, sections.Count);
        Assert.Equal(Count(records.Select(p => p.SubmittingCentre ?? "unknown")), sections["Patients by centre"]);
        Assert.Equal(Count(records.Select(p => p.Sex ?? "unknown")), sections["Patients by sex"]);
        Assert.Equal(Count(records.Select(p => p.EthnicGroup ?? p.Ethnicity ?? "unknown")), sections["Patients by ethnicity"]);
        Assert.Equal(Count(records.Select(p => p.Death switch { true => "yes", false => "no", _ => "unknown" })), sections["Death"]);
        Assert.Equal(records.Count(p => p.SwabDate is not null), sections["Swabs by week"].Sum(c => c.Count));
        Assert.Equal(Count(records.Select(p => p.Age is not { } a ? "unknown" : a < 18 ? "0-17" : a >= 90 ? "90+" : $"{a / 10 * 10}-{a / 10 * 10 + 9}")),
            sections["Patients by age band"]);

        var fields = typeof(PatientRecord).GetProperties().Where(p => p.Name is not ("Pseudonym" or "SourcePath" or "FlaggedFields" or "ExtraFields" or "FileCount")).ToArray();
        var expected = records.GroupBy(p => p.SubmittingCentre ?? "unknown", StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .SelectMany(g => fields.Select(f => (g.Key, f.Name, g.LongCount(p => f.GetValue(p) is not null), g.LongCount()))).ToArray();
        Assert.Equal(expected, tally.Completeness);
        Assert.Equal(records.Count, tally.Count);
    }
}
