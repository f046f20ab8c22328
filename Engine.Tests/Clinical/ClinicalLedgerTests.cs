using System.Globalization;
using System.Text.Json;
using Nccid.Batch.Clinical;
using Nccid.Batch.Synthetic;
using Nccid.Batch.Tests.Tables;

namespace Nccid.Batch.Tests.Clinical;

/// <summary>Cleans synthetic corpora and checks every messy value against the generator's ground truth.</summary>
public sealed class ClinicalLedgerTests : IDisposable
{
    private static readonly Dictionary<string, (string Column, Func<PatientRecord, object?> Get)> LedgerFields = new(StringComparer.Ordinal)
    {
        ["Sex"] = ("sex", r => r.Sex),
        ["Age"] = ("age", r => r.Age),
        ["Ethnicity"] = ("ethnicity", r => r.Ethnicity),
        ["SwabDate"] = ("swab_date", r => r.SwabDate),
        ["SwabResult"] = ("swab_result", r => r.SwabResult),
        ["TestType"] = ("test_type", r => r.TestType),
        ["AdmissionDate"] = ("admission_date", r => r.AdmissionDate),
        ["Hypertension"] = ("hypertension", r => r.Hypertension),
        ["Diabetes"] = ("diabetes", r => r.Diabetes),
        ["ChronicKidneyDisease"] = ("chronic_kidney_disease", r => r.ChronicKidneyDisease),
        ["LungDisease"] = ("lung_disease", r => r.LungDisease),
        ["AceInhibitor"] = ("ace_inhibitor", r => r.AceInhibitor),
        ["Smoking"] = ("smoking_status", r => r.SmokingStatus),
        ["Temperature"] = ("temperature", r => r.Temperature),
        ["HeartRate"] = ("heart_rate", r => r.HeartRate),
        ["SystolicBp"] = ("systolic_bp", r => r.SystolicBp),
        ["OxygenSaturation"] = ("oxygen_saturation", r => r.OxygenSaturation),
        ["FiO2"] = ("fio2", r => r.FiO2),
        ["Lymphocytes"] = ("lymphocytes", r => r.Lymphocytes),
        ["Crp"] = ("crp", r => r.Crp),
        ["DDimer"] = ("d_dimer", r => r.DDimer),
        ["Ferritin"] = ("ferritin", r => r.Ferritin),
        ["Troponin"] = ("troponin", r => r.Troponin),
        ["Ldh"] = ("ldh", r => r.Ldh),
        ["Itu"] = ("itu_admission", r => r.ItuAdmission),
        ["ItuDate"] = ("itu_admission_date", r => r.ItuAdmissionDate),
        ["Intubation"] = ("intubation", r => r.Intubation),
        ["Death"] = ("death", r => r.Death),
        ["DeathDate"] = ("death_date", r => r.DeathDate),
        ["LastFollowUp"] = ("last_follow_up_date", r => r.LastFollowUpDate),
    };

    private readonly TempDirectory _temp = new();

    public static TheoryData<ulong, SyntheticCorpusLayout> Corpora => new()
    {
        { 3, SyntheticCorpusLayout.Warehouse },
        { 3, SyntheticCorpusLayout.Dropzone },
        { 8, SyntheticCorpusLayout.Warehouse },
        { 8, SyntheticCorpusLayout.Dropzone },
    };

    public void Dispose() => _temp.Dispose();

    [Theory]
    [MemberData(nameof(Corpora))]
    public void Every_ledger_value_is_recovered_and_every_patient_has_one_record(ulong seed, SyntheticCorpusLayout layout)
    {
        var root = Path.Combine(_temp.Path, seed.ToString(CultureInfo.InvariantCulture) + layout);
        var summary = SyntheticCorpusGenerator.Generate(root,
            new SyntheticCorpusOptions { Patients = 200, Seed = seed, Layout = layout }.WithAllDefectRates(0), CancellationToken.None);

        var dataset = ClinicalLoader.Load(root, ClinicalLoadOptions.Default, CancellationToken.None);

        Assert.Empty(dataset.Quarantine);
        Assert.Equal(PatientsOnDisk(root, layout), dataset.Patients.Select(p => p.Pseudonym).ToList());
        Assert.Equal(200, dataset.Patients.Count);
        var entries = ReadLedger(root);
        Assert.Equal(summary.ClinicalValueEntries, entries.Count);
        Assert.True(entries.Count > 2000, $"only {entries.Count} ledger entries");

        var byPath = new Dictionary<string, PatientRecord>(StringComparer.Ordinal);
        var fileChanges = new List<CleaningChange>();
        var failures = new List<string>();
        var checkedAgainstDataset = 0;
        var records = dataset.Patients.ToDictionary(p => p.SourcePath, StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (!byPath.TryGetValue(entry.Path, out var fromFile))
            {
                var result = ClinicalLoader.ReadFile(root, entry.Path, ClinicalLoadOptions.Default);
                Assert.True(result.Record is not null, entry.Path + " was quarantined");
                fromFile = result.Record!;
                byPath.Add(entry.Path, fromFile);
                fileChanges.AddRange(result.Changes);
            }

            var (column, get) = LedgerFields[entry.Field];
            Assert.Equal(column, ClinicalRules.Resolve(entry.Key)?.Column);
            Check(failures, entry, "file", get(fromFile));
            if (records.TryGetValue(entry.Path, out var used))
            {
                Check(failures, entry, "dataset", get(used));
                checkedAgainstDataset++;
            }
        }

        Assert.True(failures.Count == 0, failures.Count + " values differ, e.g.\n" + string.Join("\n", failures.Take(20)));
        Assert.True(checkedAgainstDataset > entries.Count / 2, $"only {checkedAgainstDataset} entries are in the records used");
        AssertNoRawValueIn(entries, dataset.Changes.Concat(fileChanges));
    }

    [Fact]
    public void Newest_file_wins_and_file_dates_span_all_versions()
    {
        var root = Path.Combine(_temp.Path, "versions");
        SyntheticCorpusGenerator.Generate(root, new SyntheticCorpusOptions { Patients = 60, Seed = 21 }.WithAllDefectRates(0), CancellationToken.None);

        var dataset = ClinicalLoader.Load(root, ClinicalLoadOptions.Default, CancellationToken.None);

        var multi = 0;
        foreach (var patient in dataset.Patients)
        {
            var folder = Path.Combine(root, patient.Split!, "data", patient.Pseudonym);
            var names = Directory.GetFiles(folder).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();
            var dates = names.Select(n => DateOnly.ParseExact(n[(n.IndexOf('_') + 1)..^5], "yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(dates.Min(), patient.FirstFileDate);
            Assert.Equal(dates.Max(), patient.LatestFileDate);
            Assert.Equal(names.Count, patient.FileCount);
            Assert.EndsWith(dates.Max().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + ".json", patient.SourcePath, StringComparison.Ordinal);
            Assert.Equal(names[^1].StartsWith("data_", StringComparison.Ordinal) ? "positive" : "negative", patient.Status);
            multi += names.Count > 1 ? 1 : 0;
        }

        Assert.True(multi > 5, $"only {multi} patients with several files");
    }

    private static void Check(List<string> failures, LedgerEntry entry, string where, object? actual)
    {
        if (!Matches(entry.Clean, actual))
        {
            failures.Add($"{where} {entry.Path} {entry.Field} key '{entry.Key}' raw '{entry.Raw}': expected '{entry.Clean}', got '{Format(actual)}'");
        }
    }

    private static bool Matches(string? clean, object? actual) => actual switch
    {
        null => clean is null,
        double d => clean is not null && Math.Abs(double.Parse(clean, CultureInfo.InvariantCulture) - d) < 1e-9,
        _ => string.Equals(clean, Format(actual), StringComparison.Ordinal),
    };

    private static string? Format(object? value) => value switch
    {
        null => null,
        bool b => b ? "true" : "false",
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static void AssertNoRawValueIn(IReadOnlyList<LedgerEntry> entries, IEnumerable<CleaningChange> changes)
    {
        // Values of one or two characters ("1", "No") occur inside any sentence; longer ones must never appear.
        var raws = entries.Select(e => e.Raw).Where(r => r.Length >= 3).ToHashSet(StringComparer.Ordinal);
        var texts = changes.SelectMany(c => new[] { c.RuleId, c.Before, c.After, c.Field }).ToHashSet(StringComparer.Ordinal);
        var leaks = (from text in texts from raw in raws where text.Contains(raw, StringComparison.Ordinal) select $"'{raw}' in '{text}'").ToList();
        Assert.True(leaks.Count == 0, string.Join("\n", leaks.Take(20)));
        Assert.True(texts.Count > 20, $"only {texts.Count} distinct change texts");
    }

    private static List<string> PatientsOnDisk(string root, SyntheticCorpusLayout layout)
    {
        var names = layout == SyntheticCorpusLayout.Warehouse
            ? new[] { "training", "validation" }.SelectMany(s => Directory.GetDirectories(Path.Combine(root, s, "data"))).Select(Path.GetFileName)
            : Directory.GetFiles(root, "*.json", SearchOption.AllDirectories).Select(f => Path.GetFileName(f)).Select(n => n[..n.LastIndexOf('_')]);
        return names.Select(n => n!).Distinct().Order(StringComparer.Ordinal).ToList();
    }

    private static List<LedgerEntry> ReadLedger(string root)
    {
        var entries = new List<LedgerEntry>();
        foreach (var line in File.ReadLines(Path.Combine(root, SyntheticCorpusGenerator.LedgerFileName)))
        {
            using var json = JsonDocument.Parse(line);
            var e = json.RootElement;
            if (e.GetProperty("kind").GetString() == "clinical_value")
            {
                entries.Add(new LedgerEntry(e.GetProperty("path").GetString()!, e.GetProperty("field").GetString()!, e.GetProperty("key").GetString()!,
                    e.GetProperty("raw").GetString()!, e.GetProperty("clean").GetString()));
            }
        }

        return entries;
    }

    private sealed record LedgerEntry(string Path, string Field, string Key, string Raw, string? Clean);
}
