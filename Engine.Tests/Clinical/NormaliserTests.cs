using System.Globalization;
using Nccid.Batch.Clinical;

namespace Nccid.Batch.Tests.Clinical;

public sealed class NormaliserTests
{
    private static ClinicalInput T(string text) => ClinicalInput.FromText(text);

    private static ClinicalInput N(string literal) => new(ClinicalInputKind.Number, literal);

    [Theory]
    [InlineData("F", "F")]
    [InlineData("M", "M")]
    [InlineData("Female", "F")]
    [InlineData("male", "M")]
    [InlineData("0", "U")]
    [InlineData("1", "M")]
    [InlineData("2", "F")]
    [InlineData("9", "U")]
    [InlineData("Unknown", "U")]
    public void Sex_forms_become_F_M_or_U(string raw, string expected)
    {
        var result = SexNormaliser.Normalise(T(raw));

        Assert.Equal(expected, result.Value);
        Assert.Equal(raw == expected ? NormaliseOutcome.Unchanged : NormaliseOutcome.Changed, result.Outcome);
    }

    [Fact]
    public void Sex_codes_as_JSON_numbers_follow_ISO_5218_and_blank_is_null()
    {
        Assert.Equal("M", SexNormaliser.Normalise(N("1")).Value);
        Assert.Equal("F", SexNormaliser.Normalise(N("2")).Value);
        Assert.Equal("U", SexNormaliser.Normalise(N("0")).Value);
        Assert.False(SexNormaliser.Normalise(T(" ")).HasValue);
        Assert.Equal(NormaliseOutcome.Rejected, SexNormaliser.Normalise(T("banana")).Outcome);
    }

    [Theory]
    [InlineData("A", "A", "White")]
    [InlineData("a", "A", "White")]
    [InlineData("White British", "A", "White")]
    [InlineData("White - British", "A", "White")]
    [InlineData("WHITE BRITISH", "A", "White")]
    [InlineData("Any other White background", "C", "White")]
    [InlineData("White other", "C", "White")]
    [InlineData("Mixed - White and Black Caribbean", "D", "Mixed")]
    [InlineData("Asian or Asian British - Indian", "H", "Asian or Asian British")]
    [InlineData("Pakistani", "J", "Asian or Asian British")]
    [InlineData("Black Caribbean", "M", "Black or Black British")]
    [InlineData("Black or Black British - African", "N", "Black or Black British")]
    [InlineData("Chinese", "R", "Other Ethnic Groups")]
    [InlineData("Not stated", "Z", "Not stated")]
    [InlineData("Unknown", "Z", "Not stated")]
    [InlineData("", "Z", "Not stated")]
    [InlineData("99", "Z", "Not stated")]
    public void Ethnicity_letters_and_words_become_the_NHS_letter_and_group(string raw, string letter, string group)
    {
        var result = EthnicityNormaliser.Normalise(T(raw));

        Assert.Equal(letter, result.Value);
        Assert.Equal(group, EthnicityNormaliser.GroupOf(result.Value));
    }

    [Fact]
    public void Ethnicity_that_is_not_a_category_is_rejected_and_null_stays_null()
    {
        Assert.Equal(NormaliseOutcome.Rejected, EthnicityNormaliser.Normalise(T("Q")).Outcome);
        Assert.Equal(NormaliseOutcome.Rejected, EthnicityNormaliser.Normalise(T("Martian")).Outcome);
        Assert.False(EthnicityNormaliser.Normalise(ClinicalInput.Null).HasValue);
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("0", false)]
    [InlineData("1es", true)]
    [InlineData("Yes", true)]
    [InlineData("YES", true)]
    [InlineData("y", true)]
    [InlineData("N", false)]
    [InlineData("No", false)]
    [InlineData("NO", false)]
    [InlineData("n0", false)]
    [InlineData("true", true)]
    public void Flag_texts_become_booleans(string raw, bool expected)
    {
        var result = FlagNormaliser.Normalise(T(raw));

        Assert.True(result.HasValue);
        Assert.Equal(expected, result.Value);
        Assert.Equal(NormaliseOutcome.Changed, result.Outcome);
    }

    [Fact]
    public void Flag_numbers_booleans_blanks_and_unknowns()
    {
        Assert.True(FlagNormaliser.Normalise(N("1")).Value);
        Assert.False(FlagNormaliser.Normalise(N("0")).Value);
        Assert.Equal(NormaliseOutcome.Unchanged, FlagNormaliser.Normalise(ClinicalInput.FromBoolean(true)).Outcome);
        Assert.Equal(NormaliseOutcome.Blank, FlagNormaliser.Normalise(T("")).Outcome);
        Assert.Equal(NormaliseOutcome.Blank, FlagNormaliser.Normalise(T("Unknown")).Outcome);
        Assert.Equal(NormaliseOutcome.Blank, FlagNormaliser.Normalise(ClinicalInput.Null).Outcome);
        Assert.Equal(NormaliseOutcome.Rejected, FlagNormaliser.Normalise(N("2")).Outcome);
        Assert.Equal(NormaliseOutcome.Rejected, FlagNormaliser.Normalise(T("maybe")).Outcome);
    }

    [Theory]
    [InlineData("2020-03-20", "2020-03-20", "date.iso")]
    [InlineData("20/03/2020", "2020-03-20", "date.dmy")]
    [InlineData("02/03/2020", "2020-03-02", "date.dmy")]
    [InlineData("3/20/20", "2020-03-20", "date.mdy")]
    [InlineData("3/2/20", "2020-03-02", "date.mdy")]
    [InlineData("03/20/2020", "2020-03-20", "date.mdy")]
    [InlineData("20.03.2020", "2020-03-20", "date.dmy")]
    [InlineData("2020-03-20T10:15:00", "2020-03-20", "date.iso_datetime")]
    [InlineData("20200320", "2020-03-20", "date.yyyymmdd")]
    [InlineData("43910", "2020-03-20", "date.excel_serial")]
    [InlineData("01/04/2020 00:00", "2020-04-01", "date.dmy")]
    [InlineData("2020-04-01 13:45:10", "2020-04-01", "date.iso_datetime")]
    [InlineData("1 Sept 2020", "2020-09-01", "date.month_name")]
    [InlineData("[Text] \u2013 2020-03-20", "2020-03-20", "date.value_date_cell")]
    [InlineData("20 Mar 2020", "2020-03-20", "date.month_name")]
    [InlineData("[Text] - 2020-03-20", "2020-03-20", "date.value_date_cell")]
    [InlineData("[Text] - 20/03/2020", "2020-03-20", "date.value_date_cell")]
    public void Date_forms_become_ISO_dates(string raw, string expected, string ruleId)
    {
        var result = DateNormaliser.Normalise(T(raw));

        Assert.True(result.HasValue, result.After());
        Assert.Equal(expected, result.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Assert.Equal(ruleId, result.RuleId);
    }

    [Fact]
    public void Excel_serial_as_JSON_number_is_days_since_1899_12_30()
    {
        Assert.Equal(new DateOnly(2020, 12, 13), DateNormaliser.Normalise(N("44178")).Value);
        Assert.Equal(new DateOnly(2020, 12, 13), DateNormaliser.Normalise(N("44178.75")).Value);
        Assert.Equal("date.excel_serial", DateNormaliser.Normalise(N("44178")).RuleId);
        Assert.Equal(new DateOnly(2020, 2, 1), DateNormaliser.Normalise(N("20200201")).Value);

        // Excel's first days, before and after the 29 February 1900 it counts and which never was.
        Assert.Equal(new DateOnly(1900, 1, 1), DateNormaliser.Normalise(N("1")).Value);
        Assert.Equal(new DateOnly(1900, 2, 28), DateNormaliser.Normalise(N("59")).Value);
        Assert.Equal(NormaliseOutcome.Rejected, DateNormaliser.Normalise(N("60")).Outcome);
        Assert.Equal(new DateOnly(1900, 3, 1), DateNormaliser.Normalise(N("61")).Value);
    }

    [Theory]
    [InlineData("31/02/2020")]
    [InlineData("13/13/2020")]
    [InlineData("2020-02-30")]
    [InlineData("0")]
    [InlineData("[Text] - 2020-13-01")]
    public void Impossible_dates_are_rejected(string raw)
    {
        var result = DateNormaliser.Normalise(T(raw));

        Assert.False(result.HasValue);
        Assert.Equal(NormaliseOutcome.Rejected, result.Outcome);
        Assert.StartsWith("null (", result.OutputClass, StringComparison.Ordinal);
    }

    [Fact]
    public void Dates_outside_the_window_are_rejected_and_blank_is_null()
    {
        var earliest = new DateOnly(2019, 12, 1);
        var latest = new DateOnly(2021, 1, 1);

        Assert.Equal(NormaliseOutcome.Rejected, DateNormaliser.Normalise(T("2019-01-01"), earliest, latest).Outcome);
        Assert.Equal(NormaliseOutcome.Rejected, DateNormaliser.Normalise(T("01/01/2202"), earliest, latest).Outcome);
        Assert.True(DateNormaliser.Normalise(T("01/01/2020"), earliest, latest).HasValue);
        Assert.Equal(NormaliseOutcome.Blank, DateNormaliser.Normalise(T("")).Outcome);
        Assert.Equal("date.null", DateNormaliser.Normalise(ClinicalInput.Null).RuleId);
    }

    [Theory]
    [InlineData("[137/91] - 2020-06-02", "137/91", "2020-06-02")]
    [InlineData("[Text] - 2020-03-20", "Text", "2020-03-20")]
    [InlineData("  [ 4.2 ]-2020-06-02 ", "4.2", "2020-06-02")]
    public void Value_and_date_cells_split(string cell, string value, string date)
    {
        Assert.True(ValueDateCell.TrySplit(cell, out var v, out var d));
        Assert.Equal(value, v);
        Assert.Equal(date, d);
        Assert.False(ValueDateCell.TrySplit("137/91", out _, out _));
    }

    [Theory]
    [InlineData("temperature", "36.6", 36.6, "number.text")]
    [InlineData("temperature", "36,6", 36.6, "number.decimal_comma")]
    [InlineData("temperature", "39.7 C", 39.7, "number.unit")]
    [InlineData("temperature", "98.6", 37.0, "number.implied_unit")]
    [InlineData("temperature", "98.6 F", 37.0, "number.unit_conversion")]
    [InlineData("heart_rate", "99 bpm", 99, "number.unit")]
    [InlineData("ferritin", "1,362", 1362, "number.text")]
    [InlineData("ferritin", "1,362.5", 1362.5, "number.text")]
    [InlineData("ferritin", "1.362,5", 1362.5, "number.decimal_comma")]
    [InlineData("d_dimer", "12.345.678,9", 12345678.9, "number.decimal_comma")]
    [InlineData("lymphocytes", "2.2 x10^9/L", 2.2, "number.unit")]
    [InlineData("lymphocytes", "1200 /uL", 1.2, "number.unit_conversion")]
    [InlineData("lymphocytes", "1200 cells/µL", 1.2, "number.unit_conversion")]
    [InlineData("lymphocytes", "1200", 1.2, "number.implied_unit")]
    [InlineData("d_dimer", "0.5 mg/L", 500, "number.unit_conversion")]
    [InlineData("troponin", "<5", 5, "number.censored")]
    [InlineData("age", "45 years", 45, "number.unit")]
    public void Numbers_are_coerced_and_units_converted(string column, string raw, double expected, string ruleId)
    {
        var result = NumberNormaliser.Normalise(T(raw), ClinicalRules.ForColumn(column).Units);

        Assert.True(result.HasValue, result.After());
        Assert.Equal(expected, result.Value, 6);
        Assert.Equal(ruleId, result.RuleId);
    }

    [Fact]
    public void JSON_numbers_in_the_canonical_unit_are_unchanged_and_unknown_units_rejected()
    {
        var units = ClinicalRules.ForColumn("crp").Units;

        Assert.Equal(NormaliseOutcome.Unchanged, NumberNormaliser.Normalise(N("166"), units).Outcome);
        Assert.Equal(NormaliseOutcome.Rejected, NumberNormaliser.Normalise(T("166 furlongs"), units).Outcome);
        Assert.Equal(NormaliseOutcome.Rejected, NumberNormaliser.Normalise(T("high"), units).Outcome);
        Assert.Equal(NormaliseOutcome.Rejected, NumberNormaliser.Normalise(T("1.2,3"), units).Outcome);
        Assert.Equal(NormaliseOutcome.Rejected, NumberNormaliser.Normalise(T("1.234,5,6"), units).Outcome);
    }

    [Theory]
    [InlineData("0.35", 0.35, "fio2.fraction")]
    [InlineData("35", 0.35, "fio2.percent")]
    [InlineData("0.55", 0.55, "fio2.fraction")]
    public void FiO2_JSON_numbers_are_fractions_or_percentages(string literal, double expected, string ruleId)
    {
        var result = FiO2Normaliser.Normalise(N(literal));

        Assert.Equal(expected, result.Value, 9);
        Assert.Equal(ruleId, result.RuleId);
    }

    [Theory]
    [InlineData("55%", 0.55, "fio2.percent")]
    [InlineData("10L", 0.61, "fio2.litres")]
    [InlineData("2 l/min", 0.29, "fio2.litres")]
    [InlineData("15 litres", 0.81, "fio2.litres")]
    [InlineData("4", 0.37, "fio2.litres")]
    [InlineData("0.4", 0.4, "fio2.fraction_text")]
    public void FiO2_texts_become_fractions(string raw, double expected, string ruleId)
    {
        var result = FiO2Normaliser.Normalise(T(raw));

        Assert.Equal(expected, result.Value, 9);
        Assert.Equal(ruleId, result.RuleId);
        Assert.Equal(NormaliseOutcome.Rejected, FiO2Normaliser.Normalise(T("18")).Outcome);
    }

    [Theory]
    [InlineData("room air")]
    [InlineData("RA")]
    [InlineData("On air")]
    public void FiO2_on_room_air_is_its_fraction(string raw)
    {
        var result = FiO2Normaliser.Normalise(T(raw));
        Assert.Equal((0.21, "fio2.room_air"), (result.Value, result.RuleId));
    }

    [Theory]
    [InlineData("RNA DETECTED (SARS-CoV-2)", "positive")]
    [InlineData("SARS-CoV-2 RNA detected", "positive")]
    [InlineData("Detected", "positive")]
    [InlineData("POSITIVE", "positive")]
    [InlineData("Not detected", "negative")]
    [InlineData("SARS-CoV-2 RNA NOT detected", "negative")]
    [InlineData("RNA NOT DETECTED (SARS-CoV-2)", "negative")]
    [InlineData("Negative", "negative")]
    [InlineData("Inconclusive", "unknown")]
    [InlineData("Sample void", "unknown")]
    [InlineData("No SARS-CoV-2 RNA detected", "negative")]
    [InlineData("Nil detected", "negative")]
    [InlineData("None detected", "negative")]
    [InlineData("Not positive", "negative")]
    [InlineData("Non-detected", "negative")]
    [InlineData("SARS-CoV-2 RNA detected; Influenza A not detected", "positive")]
    [InlineData("Influenza A detected; COVID-19 not detected", "negative")]
    [InlineData("Detected. No further action", "positive")]
    [InlineData("Result not known", "unknown")]
    public void Swab_result_texts_become_positive_negative_or_unknown(string raw, string expected) =>
        Assert.Equal(expected, TestResultNormaliser.Normalise(T(raw)).Value);

    [Theory]
    [InlineData("Positive (previously negative)")]
    [InlineData("Influenza detected; RSV not detected")]
    public void Swab_result_that_says_both_is_rejected_not_guessed(string raw)
    {
        var result = TestResultNormaliser.Normalise(T(raw));
        Assert.Equal((NormaliseOutcome.Rejected, "result.contradictory"), (result.Outcome, result.RuleId));
    }

    [Fact]
    public void Swab_result_that_says_nothing_is_rejected() =>
        Assert.Equal(NormaliseOutcome.Rejected, TestResultNormaliser.Normalise(T("see notes")).Outcome);

    [Theory]
    [InlineData("Never", "Never")]
    [InlineData("never smoked", "Never")]
    [InlineData("Non-smoker", "Never")]
    [InlineData("0", "Never")]
    [InlineData("Ex-smoker", "Former")]
    [InlineData("ex", "Former")]
    [InlineData("1", "Former")]
    [InlineData("current smoker", "Current")]
    [InlineData("Yes", "Current")]
    [InlineData("y", "Current")]
    [InlineData("No", "Unknown")]
    [InlineData("N", "Unknown")]
    [InlineData("2", "Current")]
    [InlineData("", "Unknown")]
    [InlineData("not known", "Unknown")]
    public void Smoking_forms_become_the_four_statuses(string raw, string expected) =>
        Assert.Equal(expected, SmokingNormaliser.Normalise(T(raw)).Value);

    [Theory]
    [InlineData("RT-PCR", "RT-PCR")]
    [InlineData("PCR", "RT-PCR")]
    [InlineData("rt-pcr", "RT-PCR")]
    [InlineData("RTPCR", "RT-PCR")]
    [InlineData("POC PCR", "Point of care PCR")]
    [InlineData("Rapid PCR", "Point of care PCR")]
    [InlineData("LFT", "Lateral flow antigen")]
    [InlineData("Home kit", "Home kit")]
    public void Test_types_become_canonical_names(string raw, string expected) =>
        Assert.Equal(expected, TestTypeNormaliser.Normalise(T(raw)).Value);
}

internal static class NormalisedExtensions
{
    public static string After<T>(this Normalised<T> result) => result.InputClass + " → " + result.OutputClass;
}
