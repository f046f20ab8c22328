using System.Globalization;
using System.Text;
using System.Text.Json;
using Nccid.Batch.Clinical;
using Nccid.Batch.Synthetic;
using Nccid.Batch.Tables;
using Nccid.Batch.Tests.Tables;

namespace Nccid.Batch.Tests.Clinical;

public sealed class ClinicalLoaderTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Broken_json_is_quarantined_with_its_position_and_the_older_file_is_used()
    {
        Write("training/data/C000001/data_2020-05-01.json", """{"Pseudonym":"C000001","Sex":"F","Age":50}""");
        Write("training/data/C000001/data_2020-06-01.json", """{"Pseudonym":"C000001","Sex":"F","Age":""");

        var dataset = Load();

        var entry = Assert.Single(dataset.Quarantine);
        Assert.Equal("training/data/C000001/data_2020-06-01.json", entry.Path);
        Assert.Equal("C000001", entry.Pseudonym);
        Assert.StartsWith("not valid JSON (line 1, byte", Assert.Single(entry.Reasons), StringComparison.Ordinal);
        var patient = Assert.Single(dataset.Patients);
        Assert.Equal("training/data/C000001/data_2020-05-01.json", patient.SourcePath);
        Assert.Equal(new DateOnly(2020, 6, 1), patient.LatestFileDate);
        Assert.Equal(new DateOnly(2020, 5, 1), patient.FirstFileDate);
        Assert.Equal(2, patient.FileCount);
        Assert.Equal(50, patient.Age);
        Assert.Equal(2, dataset.FilesRead);
    }

    [Fact]
    public void Records_of_the_winners_date_left_unused_are_counted_in_a_change()
    {
        Write("training/data/C000008/data_2020-05-01.json", """{"Pseudonym":"C000008","Sex":"F","Age":50}""");
        Write("training/data/C000008/status_2020-05-01.json", """{"Pseudonym":"C000008","Sex":"M","Age":51}""");
        Write("training/data/C000008/data_2020-04-01.json", """{"Pseudonym":"C000008","Sex":"F","Age":50}""");
        Write("training/data/C000009/data_2020-04-01.json", """{"Pseudonym":"C000009","Sex":"F","Age":50}""");
        Write("training/data/C000009/data_2020-05-01.json", """{"Pseudonym":"C000009","Sex":"F","Age":50}""");
        Write("export_2020-05-01.csv", "Pseudonym,Sex,Age\nC000008,M,52\nC000008,F,53\n");

        var dataset = Load();

        var tie = Assert.Single(dataset.Changes, c => c.RuleId == "record.same_date");
        Assert.Equal(("C000008", "training/data/C000008/data_2020-05-01.json", "source_path"), (tie.Pseudonym, tie.SourcePath, tie.Field));
        Assert.Equal("3 other records of the same date → not used; this one used (JSON before CSV, then path order)", tie.Description);
        Assert.Equal([("C000008", 50), ("C000009", 50)], dataset.Patients.Select(p => (p.Pseudonym, p.Age ?? -1)).ToList());
    }

    [Fact]
    public void Records_without_a_pseudonym_or_with_another_patients_are_quarantined()
    {
        Write("validation/data/C000002/status_2020-05-01.json", """{"Sex":"F"}""");
        Write("validation/data/C000003/status_2020-05-01.json", """{"Pseudonym":"C999999","Sex":"F"}""");
        Write("raw-rxa1/2020-05-01/data/C000004_data.json", """{"Pseudonym":"C000005"}""");
        Write("training/data/C000006/notes.json", """{"Pseudonym":"C000006"}""");
        Write("training/data/C000007/data_2020-05-01.json", "[1, 2]");

        var dataset = Load();

        Assert.Empty(dataset.Patients);
        Assert.Equal(
            [
                ("raw-rxa1/2020-05-01/data/C000004_data.json", "the pseudonym in the record differs from the file name"),
                ("training/data/C000006/notes.json", "the file name is not data_YYYY-MM-DD.json or status_YYYY-MM-DD.json with a real date"),
                ("training/data/C000007/data_2020-05-01.json", "the JSON root is not an object"),
                ("validation/data/C000002/status_2020-05-01.json", "no pseudonym in the record"),
                ("validation/data/C000003/status_2020-05-01.json", "the pseudonym in the record differs from the folder name"),
            ],
            dataset.Quarantine.Select(q => (q.Path, Assert.Single(q.Reasons))).ToList());
    }

    [Fact]
    public void Nested_sections_are_flattened_and_unknown_fields_kept_in_extra_fields()
    {
        Write("training/data/C000010/data_2020-05-01.json", """
            {"Pseudonym":"C000010","Demographics":{"sex":"2","Ethnic group":"Indian"},
             "PMH":{"CKD":"1es","Asthma":0},"Observations":{"BP":"[137/91] - 2020-04-30","Resp rate":"22 /min"},
             "Favourite colour":"blue","Labs":{"Potassium":4.1},"Notes":[1,2]}
            """);

        var patient = Assert.Single(Load().Patients);

        Assert.Equal("F", patient.Sex);
        Assert.Equal("H", patient.Ethnicity);
        Assert.Equal("Asian or Asian British", patient.EthnicGroup);
        Assert.True(patient.ChronicKidneyDisease);
        Assert.False(patient.Asthma);
        Assert.Equal(137, patient.SystolicBp);
        Assert.Equal(91, patient.DiastolicBp);
        Assert.Equal(22, patient.RespiratoryRate);
        Assert.Equal("positive", patient.Status);
        Assert.Equal("training", patient.Split);
        using var extra = JsonDocument.Parse(patient.ExtraFields!);
        Assert.Equal("blue", extra.RootElement.GetProperty("Favourite colour").GetString());
        Assert.Equal(4.1, extra.RootElement.GetProperty("Labs.Potassium").GetDouble());
        Assert.Equal(2, extra.RootElement.GetProperty("Notes").GetArrayLength());
        Assert.Equal("2020-04-30", extra.RootElement.GetProperty("systolic_bp_date").GetString());
    }

    [Fact]
    public void Changes_name_the_rule_and_classes_and_out_of_range_values_are_flagged()
    {
        Write("raw-rq7z/2020-05-03/data/C000020_data.json", """
            {"Pseudonym":"C000020","Date of admission":"31/02/2020","Swab date":"02/05/2020","Heart rate on admission":400,
             "PMH h1pertension":"Yes","Year of birth":1950}
            """);

        var dataset = Load();

        var patient = Assert.Single(dataset.Patients);
        Assert.Null(patient.AdmissionDate);
        Assert.Equal(new DateOnly(2020, 5, 2), patient.SwabDate);
        Assert.Equal(400, patient.HeartRate);
        Assert.Equal(["heart_rate"], patient.FlaggedFields);
        Assert.True(patient.Hypertension);
        Assert.Equal(70, patient.Age);
        Assert.Equal("clinical", patient.AgeSource);
        Assert.Equal("rq7z", patient.SubmittingCentre);
        Assert.Null(patient.Split);
        var changes = dataset.Changes.Select(c => (c.Field, c.RuleId, c.Description)).ToList();
        Assert.Contains(("admission_date", "date.impossible", "text dd/mm/yyyy → null (impossible date)"), changes);
        Assert.Contains(("swab_date", "date.dmy", "text dd/mm/yyyy → ISO date"), changes);
        Assert.Contains(("swab_date", "field.name", "variant field name → canonical field name"), changes);
        Assert.Contains(("hypertension", "field.name", "variant field name → canonical field name"), changes);
        Assert.Contains(("heart_rate", "range.flagged", "value outside the plausible range → kept and listed in flagged_fields"), changes);
        Assert.Contains(changes, c => c.RuleId == "age.from_birth_year");
        Assert.All(dataset.Changes, c => Assert.Equal("C000020", c.Pseudonym));
    }

    [Fact]
    public void CSV_export_of_the_same_records_gives_the_same_patients()
    {
        var corpus = Path.Combine(_temp.Path, "corpus");
        SyntheticCorpusGenerator.Generate(corpus, new SyntheticCorpusOptions { Patients = 40, Seed = 17 }.WithAllDefectRates(0), CancellationToken.None);
        var fromJson = ClinicalLoader.Load(corpus, ClinicalLoadOptions.Default, CancellationToken.None);
        var csvRoot = Path.Combine(_temp.Path, "csv");
        Directory.CreateDirectory(csvRoot);
        File.WriteAllText(Path.Combine(csvRoot, "export_2022-01-01.csv"), ToCsv(corpus, fromJson.Patients.Select(p => p.SourcePath)), Encoding.UTF8);

        var fromCsv = ClinicalLoader.Load(csvRoot, ClinicalLoadOptions.Default, CancellationToken.None);

        Assert.Empty(fromCsv.Quarantine);
        Assert.Equal(1, fromCsv.FilesRead);
        Assert.Equal(fromJson.Patients.Count, fromCsv.Patients.Count);
        var skipped = new HashSet<string>(["source_path", "split", "first_file_date", "latest_file_date", "file_count"], StringComparer.Ordinal);
        for (var i = 0; i < fromJson.Patients.Count; i++)
        {
            var json = Row(fromJson.Patients[i]);
            var csv = Row(fromCsv.Patients[i]);
            foreach (var (column, value) in json)
            {
                if (!skipped.Contains(column))
                {
                    Assert.True(Equals(value, csv[column]), $"{fromJson.Patients[i].Pseudonym} {column}: JSON '{value}', CSV '{csv[column]}'");
                }
            }

            Assert.Equal(new DateOnly(2022, 1, 1), fromCsv.Patients[i].LatestFileDate);
            Assert.StartsWith("export_2022-01-01.csv:", fromCsv.Patients[i].SourcePath, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void CSV_rows_without_a_pseudonym_are_quarantined_by_line()
    {
        Write("training/data/export.csv", "Pseudonym,Sex,\"Free, text\"\nC000030,M,\"a \"\"quoted\"\"\nvalue\"\n,F,x\n");

        var dataset = Load();

        var patient = Assert.Single(dataset.Patients);
        Assert.Equal("training/data/export.csv:2", patient.SourcePath);
        Assert.Equal("training", patient.Split);
        Assert.Equal("{\"Free, text\":\"a \\\"quoted\\\"\\nvalue\"}", patient.ExtraFields);
        var entry = Assert.Single(dataset.Quarantine);
        Assert.Equal("training/data/export.csv:4", entry.Path);
        Assert.Equal(["no pseudonym in the record"], entry.Reasons);
    }

    [Fact]
    public void Missing_sex_and_age_are_filled_from_DICOM_but_given_values_are_kept()
    {
        var empty = new PatientRecord { Pseudonym = "C1" };
        var given = new PatientRecord { Pseudonym = "C2", Sex = "U", Age = 40, AgeSource = "clinical" };

        DicomDemographics.FillFromDicom(empty, "F", 61);
        DicomDemographics.FillFromDicom(given, "M", 62);

        Assert.Equal(("F", 61, "dicom"), (empty.Sex, empty.Age, empty.AgeSource));
        Assert.Equal(("U", 40, "clinical"), (given.Sex, given.Age, given.AgeSource));
    }

    [Fact]
    public async Task Patients_and_changes_tables_are_written_and_read_back_by_DuckDB()
    {
        var corpus = Path.Combine(_temp.Path, "corpus");
        SyntheticCorpusGenerator.Generate(corpus, new SyntheticCorpusOptions { Patients = 20, Seed = 4 }.WithAllDefectRates(0), CancellationToken.None);
        var dataset = ClinicalLoader.Load(corpus, ClinicalLoadOptions.Default, CancellationToken.None);
        var output = Path.Combine(_temp.Path, "out");

        await using (var writer = new ParquetPartWriter<PatientRecord>(Path.Combine(output, "patients"), PatientsTable.Schema, new ParquetPartOptions()))
        {
            foreach (var patient in dataset.Patients)
            {
                await writer.AddAsync(patient, CancellationToken.None);
            }

            await writer.CompleteAsync(CancellationToken.None);
        }

        await using (var writer = new ParquetPartWriter<CleaningChange>(Path.Combine(output, "clinical_changes"), CleaningChangesTable.Schema, new ParquetPartOptions()))
        {
            foreach (var change in dataset.Changes)
            {
                await writer.AddAsync(change, CancellationToken.None);
            }

            await writer.CompleteAsync(CancellationToken.None);
        }

        var glob = Path.Combine(output, "patients", "*.parquet").Replace('\\', '/');
        var rows = DuckDb.Query($"SELECT pseudonym, age, swab_date FROM read_parquet('{glob}') ORDER BY pseudonym");
        Assert.Equal(dataset.Patients.Select(p => p.Pseudonym), rows.Select(r => (string)r[0]!));
        Assert.Equal(dataset.Patients.Select(p => p.Age), rows.Select(r => (int?)r[1]));
        var changes = DuckDb.Query($"SELECT count(*) FROM read_parquet('{Path.Combine(output, "clinical_changes", "*.parquet").Replace('\\', '/')}')");
        Assert.Equal((long)dataset.Changes.Count, Convert.ToInt64(changes[0][0], CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Every_rule_column_is_a_patients_column_and_names_resolve_ignoring_case_and_punctuation()
    {
        var columns = PatientsTable.Schema.Columns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var rule in ClinicalRules.Fields.Where(r => r.Column.Length > 0))
        {
            foreach (var column in rule.Column.Split(", "))
            {
                Assert.Contains(column, columns);
            }

            Assert.Same(rule, ClinicalRules.Resolve(rule.CanonicalName.ToUpperInvariant()));
            Assert.All(rule.Variants, v => Assert.Same(rule, ClinicalRules.Resolve(v)));
        }

        Assert.Equal("hypertension", ClinicalRules.Resolve("PMH h1pertension")!.Column);
        Assert.Equal("hypertension", ClinicalRules.Resolve("pmh_hypertension")!.Column);
        Assert.Equal("lymphocytes", ClinicalRules.Resolve("Lymphoctye count")!.Column);
        Assert.Null(ClinicalRules.Resolve("Favourite colour"));
    }

    private static Dictionary<string, object?> Row(PatientRecord record)
    {
        // Compares through the public columns so a new column cannot be forgotten here.
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in typeof(PatientRecord).GetProperties())
        {
            var value = property.GetValue(record);
            values[Snake(property.Name)] = value is IReadOnlyList<string> list ? string.Join(",", list) : value;
        }

        return values;
    }

    private static string Snake(string name)
    {
        var builder = new StringBuilder();
        foreach (var c in name)
        {
            if (char.IsUpper(c) && builder.Length > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }

    private static string ToCsv(string root, IEnumerable<string> paths)
    {
        var rows = new List<Dictionary<string, string?>>();
        var header = new List<string>();
        foreach (var path in paths)
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(root, path)));
            var row = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var property in json.RootElement.EnumerateObject())
            {
                if (!header.Contains(property.Name))
                {
                    header.Add(property.Name);
                }

                row[property.Name] = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString()!,
                    JsonValueKind.Null => null,
                    _ => property.Value.GetRawText(),
                };
            }

            rows.Add(row);
        }

        var text = new StringBuilder();
        text.AppendJoin(',', header.Select(Quote)).Append("\r\n");
        foreach (var row in rows)
        {
            // A field the record lacks is an unquoted empty cell (no value); a JSON null likewise; "" is an empty string.
            text.AppendJoin(',', header.Select(h => row.TryGetValue(h, out var value) && value is not null ? Quote(value) : string.Empty)).Append("\r\n");
        }

        return text.ToString();
    }

    private static string Quote(string value) => "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    [Fact]
    public async Task Loading_with_records_and_changes_handed_over_gives_those_of_a_plain_load_in_patient_order_and_keeps_none()
    {
        // More patients than are cleaned at once, some with a broken newer file, all with values the cleaning rewrites.
        for (var p = 0; p < 2_500; p++)
        {
            var id = "C" + p.ToString("D6", CultureInfo.InvariantCulture);
            var split = p % 3 == 0 ? "validation" : "training";
            Write($"{split}/data/{id}/data_2020-05-01.json", $$"""{"Pseudonym":"{{id}}","Sex":"{{(p % 2 == 0 ? "female" : "m")}}","Age":"{{40 + (p % 50)}} years","Smoker":"ex smoker"}""");
            if (p % 7 == 0) Write($"{split}/data/{id}/data_2020-06-01.json", $$"""{"Pseudonym":"{{id}}","Sex":""");
        }

        var plain = Load();
        var handed = new List<CleaningChange>();
        var records = new List<PatientRecord>();
        var streamed = await ClinicalLoader.LoadAsync(_temp.Path, ClinicalLoadOptions.Default, (record, changes, _) =>
        {
            records.Add(record);
            handed.AddRange(changes);
            Assert.All(changes, c => Assert.Equal(record.Pseudonym, c.Pseudonym));
            return ValueTask.CompletedTask;
        }, CancellationToken.None);

        Assert.Empty(streamed.Changes);
        Assert.Empty(streamed.Patients);
        Assert.True(plain.Changes.Count >= 2 * 2_500, $"{plain.Changes.Count} changes");
        Assert.Equal(plain.Changes, handed);
        Assert.Equal(2_500, records.Count);
        Assert.Equal(plain.Patients.Select(r => (r.Pseudonym, r.SourcePath, r.Sex, r.Age, r.LatestFileDate, r.FileCount, r.SmokingStatus)),
            records.Select(r => (r.Pseudonym, r.SourcePath, r.Sex, r.Age, r.LatestFileDate, r.FileCount, r.SmokingStatus)));
        Assert.Equal(plain.Quarantine.Select(q => (q.Path, string.Join(';', q.Reasons))), streamed.Quarantine.Select(q => (q.Path, string.Join(';', q.Reasons))));
        Assert.Equal(358, streamed.Quarantine.Count);
        Assert.Equal(plain.FilesRead, streamed.FilesRead);
    }

    private ClinicalDataset Load() => ClinicalLoader.Load(_temp.Path, ClinicalLoadOptions.Default, CancellationToken.None);

    private void Write(string relative, string content)
    {
        var path = Path.Combine(_temp.Path, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
