using System.Text;
using Nccid.Batch.Clinical;

namespace Nccid.Batch.Tests.Clinical;

/// <summary>One record cleaned from its JSON: which field a value lands in, and what is never kept.</summary>
public sealed class RecordCleanerTests
{
    private static readonly ClinicalSource Source = new("training/data/C1/data_2020-05-01.json", "C1", new DateOnly(2020, 5, 1), "positive", "training", null, "folder name");

    private static PatientRecord Clean(string json) =>
        RecordCleaner.CleanJson(Encoding.UTF8.GetBytes(json), Source, ClinicalLoadOptions.Default).Record!;

    [Theory]
    [InlineData("\"1950\"")]
    [InlineData("1950")]
    public void A_year_in_the_date_of_birth_field_is_the_year_of_birth_not_an_Excel_day(string dob)
    {
        var record = Clean("{\"Pseudonym\":\"C1\",\"Swab date\":\"2020-04-10\",\"Date of birth\":" + dob + "}");
        Assert.Equal(70, record.Age);
    }

    [Fact]
    public void A_second_date_of_birth_is_dropped_not_kept_as_an_extra_field()
    {
        var record = Clean("""{"Pseudonym":"C1","DOB":"01/02/1950","Date of birth":"01/02/1950","Age":70,"Ward":"7B"}""");
        Assert.Equal(70, record.Age);
        Assert.DoesNotContain("1950", record.ExtraFields ?? string.Empty, StringComparison.Ordinal);
        Assert.Contains("Ward", record.ExtraFields ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public void A_list_where_one_value_belongs_is_kept_aside_and_a_listed_birth_date_dropped()
    {
        var result = RecordCleaner.CleanJson(
            Encoding.UTF8.GetBytes("""{"Pseudonym":"C1","Sex":["F"],"Date of birth":["01/02/1950"],"Tags":["a"]}"""), Source, ClinicalLoadOptions.Default);
        var record = result.Record!;
        Assert.Null(record.Sex);
        Assert.Contains("\"Sex\":[\"F\"]", record.ExtraFields ?? string.Empty, StringComparison.Ordinal);
        Assert.Contains("Tags", record.ExtraFields ?? string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain("1950", record.ExtraFields ?? string.Empty, StringComparison.Ordinal);
        Assert.Equal(2, result.Changes.Count(c => c.RuleId == "value.not_scalar"));
    }

    [Theory]
    [InlineData("[Text] - 1950-02-01", 70)]
    [InlineData("[Text] - 2020-01-15", 0)]
    public void A_value_and_date_cell_in_the_date_of_birth_field_gives_the_age_and_leaves_no_date_behind(string dob, int age)
    {
        var record = Clean("{\"Pseudonym\":\"C1\",\"Swab date\":\"2020-04-10\",\"Date of birth\":\"" + dob + "\"}");
        Assert.Equal(age, record.Age);
        Assert.Null(record.ExtraFields);
    }

    [Theory]
    [InlineData("0.96", 96)]
    [InlineData("1", 100)]
    [InlineData("96", 96)]
    [InlineData("96%", 96)]
    public void An_oxygen_saturation_written_as_a_fraction_is_a_percentage(string raw, int expected)
    {
        var record = Clean("{\"Pseudonym\":\"C1\",\"SpO2\":\"" + raw + "\"}");
        Assert.Equal(expected, record.OxygenSaturation);
        Assert.Empty(record.FlaggedFields);
    }

    [Fact]
    public void Unknown_fields_that_name_or_hold_an_identifier_are_dropped_not_published()
    {
        var result = RecordCleaner.CleanJson(Encoding.UTF8.GetBytes("""
            {"Pseudonym":"C1","Patient Name":"Jane Doe","NHS Number":"9434765919","Home address":"1 Mill Lane",
             "Notes":"ring 07700 900123","Comment":"lives at LS1 4AP","Ref":9434765919,"Contact":{"E-mail":"x"},
             "Ward":"7B","Notes 2":"on oxygen, improving","Next of kin":"mother"}
            """), Source, ClinicalLoadOptions.Default);

        Assert.Equal("""{"Ward":"7B","Notes 2":"on oxygen, improving"}""", result.Record!.ExtraFields);
        Assert.Equal(8, result.Changes.Count(c => c.RuleId == "field.identifying"));
    }

    [Fact]
    public void A_record_whose_only_unknown_fields_identify_has_no_extra_fields()
    {
        var record = Clean("""{"Pseudonym":"C1","Surname":"Doe"}""");
        Assert.Null(record.ExtraFields);
    }

    [Fact]
    public void A_section_names_its_fields_first_so_an_ITU_admission_date_is_not_the_hospitals()
    {
        var record = Clean("""{"Pseudonym":"C1","ITU":{"Admission":"Yes","Admission date":"2020-04-20"}}""");
        Assert.True(record.ItuAdmission);
        Assert.Equal(new DateOnly(2020, 4, 20), record.ItuAdmissionDate);
        Assert.Null(record.AdmissionDate);
    }

    [Fact]
    public void A_second_swab_section_does_not_fill_the_first_swabs_columns()
    {
        var record = Clean("""{"Pseudonym":"C1","Second swab":{"Swab date":"2020-04-25","Swab result":"Negative"},"Swab date":"2020-04-01","Swab result":"Positive"}""");
        Assert.Equal(("positive", new DateOnly(2020, 4, 1)), (record.SwabResult, record.SwabDate));
        Assert.Contains("Second swab", record.ExtraFields ?? string.Empty, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"Pseudonym":"C1","Systolic BP":"","Diastolic BP":"","BP":"137/91"}""", 137, 91)]
    [InlineData("""{"Pseudonym":"C1","Systolic BP":"n/a","Diastolic BP":"?","BP":"137/91"}""", 137, 91)]
    [InlineData("""{"Pseudonym":"C1","Systolic BP":"137/91","Diastolic BP":""}""", 137, 91)]
    [InlineData("""{"Pseudonym":"C1","Systolic BP":"137/91","Diastolic BP":"n/a"}""", 137, 91)]
    [InlineData("""{"Pseudonym":"C1","Systolic BP":140,"Diastolic BP":"","BP":"137/91"}""", 140, 91)]
    public void A_combined_blood_pressure_fills_the_halves_the_separate_fields_leave_blank_or_unreadable(string json, int systolic, int diastolic)
    {
        var record = Clean(json);
        Assert.Equal((systolic, diastolic), (record.SystolicBp, record.DiastolicBp));
    }

    [Theory]
    [InlineData("""{"Pseudonym":"C1","Systolic BP":140,"Diastolic BP":95,"BP":"137/91"}""", 2)]
    [InlineData("""{"Pseudonym":"C1","Systolic BP":"137/91","Diastolic BP":95}""", 1)]
    public void A_combined_half_the_separate_field_supersedes_is_reported_not_dropped_silently(string json, int superseded)
    {
        var result = RecordCleaner.CleanJson(Encoding.UTF8.GetBytes(json), Source, ClinicalLoadOptions.Default);
        Assert.Equal(95, result.Record!.DiastolicBp);
        Assert.Equal(superseded, result.Changes.Count(c => c.RuleId == "bp.superseded"));
    }

    [Theory]
    [InlineData("""{"Pseudonym":"C1","Heart rate":"unknown","HR":"88"}""", 88, "unknown")]
    [InlineData("""{"Pseudonym":"C1","Heart rate":"92","HR":"88"}""", 92, "88")]
    [InlineData("""{"Pseudonym":"C1","Heart rate":"unknown","HR":"see notes"}""", null, "see notes")]
    public void An_unreadable_first_field_gives_way_to_a_readable_second_with_the_same_meaning(string json, int? heartRate, string setAside)
    {
        var result = RecordCleaner.CleanJson(Encoding.UTF8.GetBytes(json), Source, ClinicalLoadOptions.Default);
        Assert.Equal(heartRate, result.Record!.HeartRate);
        Assert.Contains(setAside, result.Record.ExtraFields ?? string.Empty, StringComparison.Ordinal);
        Assert.Single(result.Changes, c => c.RuleId == "field.duplicate");
    }

    [Fact]
    public void An_unreadable_first_date_of_birth_gives_way_to_a_readable_second_and_neither_is_kept()
    {
        var record = Clean("""{"Pseudonym":"C1","Swab date":"2020-04-10","DOB":"not known","Date of birth":"01/02/1950"}""");
        Assert.Equal(70, record.Age);
        Assert.Null(record.ExtraFields);
    }
}
