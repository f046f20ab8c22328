using System.Collections.Frozen;

namespace Nccid.Batch.Clinical;

/// <summary>
/// The cleaning rule table: every clinical field the cleaner knows, with its canonical NCCID name, the
/// variant and misspelt names it arrives under, its type, unit, plausible range and target column. Names are
/// matched after folding (lower case, letters and digits only), so "PMH Hypertension", "pmh_hypertension" and
/// "PMH hypertension" are one name; typos that change letters ("PMH h1pertension") are listed explicitly.
/// docs/clinical.md is rendered from this table.
/// </summary>
public static class ClinicalRules
{
    /// <summary>Earliest plausible date of a COVID-19 event (swab, admission, ITU, death, follow-up).</summary>
    public static readonly DateOnly EarliestEventDate = new(2019, 12, 1);

    /// <summary>Earliest plausible birth date.</summary>
    public static readonly DateOnly EarliestBirthDate = new(1900, 1, 1);

    private const string Comorbidity = "Past medical history: yes/no/unknown.";

    private static readonly UnitAlias Years = new("years", ["years", "year", "yrs", "yr", "y", "yo"]);
    private static readonly UnitAlias Bpm = new("beats/min", ["bpm", "beats/min", "/min", "per min", "beats per minute"]);
    private static readonly UnitAlias Breaths = new("breaths/min", ["breaths/min", "/min", "per min", "bpm", "rpm", "breaths per minute"]);
    private static readonly UnitAlias Percent = new("%", ["%", "percent", "pct"]);

    /// <summary>A saturation written as a fraction (0.96): a bare number below 1.5 (no saturation in per cent) is that times 100.</summary>
    private static readonly UnitAlias SaturationFraction = new("fraction", [], Factor: 100, BareBelow: 1.5);
    private static readonly UnitAlias MmHg = new("mmHg", ["mmHg", "mm Hg"]);

    /// <summary>The rule table, in the order rules are applied and documented.</summary>
    public static IReadOnlyList<FieldRule> Fields { get; } =
    [
        new("pseudonym", "Pseudonym", FieldKind.Pseudonym, ["PatientPseudonym", "Patient pseudonym", "Pseudo ID"],
            "Required; must equal the patient folder name (warehouse) or the file-name prefix (upload layout), else the record is quarantined.",
            static (r, v) => r.Pseudonym = (string)v!),
        new("submitting_centre", "SubmittingCentre", FieldKind.Text, ["Submitting centre", "Submitting center", "Centre", "Hospital"],
            "Trimmed; when absent, the upload site from the `raw-<site>` folder.", static (r, v) => r.SubmittingCentre = (string?)v),
        new("sex", "Sex", FieldKind.Sex, ["Gender", "Patient sex"], "Accepted forms: the 'sex' row below.", static (r, v) => r.Sex = (string?)v),
        new("age", "Age", FieldKind.Integer, ["Age (years)", "Age in years", "Age at swab", "Age on admission"],
            "Whole years; decimals are rounded. When absent, derived from the date or year of birth (see below).",
            static (r, v) => r.Age = (int?)v) { Unit = "years", Units = [Years], Min = 0, Max = 120 },
        new(string.Empty, "Year of birth", FieldKind.BirthYear, ["Birth year", "YOB"],
            "Used only when age is absent: age = swab year − birth year (the age reached in the swab's calendar year; the newest file's year when there is no swab date). Not kept.",
            null) { Min = 1900, Max = 2030 },
        new(string.Empty, "Date of birth", FieldKind.BirthDate, ["DOB", "Birth date"],
            "Used only when age is absent: exact age at the swab date (or the newest file's date). Never kept: a full birth date identifies.",
            null) { MinDate = EarliestBirthDate },
        new("ethnicity", "Ethnicity", FieldKind.Ethnicity, ["Ethnic group", "Ethnic category", "Ethnic origin"],
            "NHS letter; ethnic_group gets the category's group.", static (r, v) =>
            {
                r.Ethnicity = (string?)v;
                r.EthnicGroup = EthnicityNormaliser.GroupOf((string?)v);
            }),
        Date("swab_date", "Date of Positive Covid Swab",
            ["Date of 1st RT-PCR", "Swab date", "Date of swab", "Date of test", "Test date", "Date of acquisition of 1st RT-PCR"],
            static (r, v) => r.SwabDate = v),
        new("swab_result", "1st RT-PCR result", FieldKind.TestResult, ["RT-PCR result", "Covid test result", "Swab result", "Test result", "Covid result"],
            "Accepted forms: the 'test result' row below.", static (r, v) => r.SwabResult = (string?)v),
        new("test_type", "Test type", FieldKind.TestType, ["Type of test", "Covid test type"], "Accepted forms: the 'test type' row below.",
            static (r, v) => r.TestType = (string?)v),
        Date("admission_date", "Date of admission", ["Admission date", "Date admitted", "Date of hospital admission"], static (r, v) => r.AdmissionDate = v),
        Flag("hypertension", "PMH hypertension", ["PMH h1pertension", "PMH hypertenstion", "PMH HTN", "Hypertension", "HTN"], static (r, v) => r.Hypertension = v),
        Flag("diabetes", "PMH diabetes mellitus type II",
            ["PMH Diabetes T2", "PMH diabetes mellitus type 2", "PMH diabetes", "PMH T2DM", "Diabetes", "Diabetes mellitus type II", "T2DM"],
            static (r, v) => r.Diabetes = v),
        Flag("copd", "PMH COPD", ["COPD", "PMH chronic obstructive pulmonary disease"], static (r, v) => r.Copd = v),
        Flag("asthma", "PMH Asthma", ["Asthma", "PMH athsma", "PMH asthama"], static (r, v) => r.Asthma = v),
        Flag("lung_disease", "PMH Lung disease", ["PMH Lung diease", "PMH chronic lung disease", "Lung disease", "Chronic lung disease"],
            static (r, v) => r.LungDisease = v),
        Flag("chronic_kidney_disease", "PMH CKD", ["PMH Chronic kidney disease", "CKD", "Chronic kidney disease", "PMH renal disease"],
            static (r, v) => r.ChronicKidneyDisease = v),
        Flag("cardiovascular_disease", "PMH CVS disease", ["PMH cardiovascular disease", "PMH CVD", "Cardiovascular disease", "CVD"],
            static (r, v) => r.CardiovascularDisease = v),
        Flag("cancer", "PMH Cancer", ["Cancer", "Active cancer", "Malignancy", "PMH malignancy"], static (r, v) => r.Cancer = v),
        Flag("immunosuppression", "PMH Immunosuppression", ["Immunosuppression", "Immunosuppressed", "Immunocompromised"],
            static (r, v) => r.Immunosuppression = v),
        Flag("ace_inhibitor", "Current ACEi use", ["ACEi", "ACE inhibitor", "Current ACE inhibitor use"], static (r, v) => r.AceInhibitor = v),
        new("smoking_status", "Smoking status", FieldKind.Smoking, ["Smoking", "Smoker", "Smoking history"], "Accepted forms: the 'smoking status' row below.",
            static (r, v) => r.SmokingStatus = (string?)v),
        Decimal("temperature", "Temperature on admission", ["Temp on admission", "Temperature", "Temp"], static (r, v) => r.Temperature = v, "°C",
            [new("°C", ["C", "°C", "degC", "deg C", "celsius", "oC"]), new("°F", ["F", "°F", "degF", "fahrenheit"], 5.0 / 9, -160.0 / 9, BareAbove: 50)],
            25, 45),
        Integer("heart_rate", "Heart rate on admission", ["HR on admission", "Heart rate", "HR", "Pulse"], static (r, v) => r.HeartRate = v, [Bpm], 20, 250),
        Integer("respiratory_rate", "Respiratory rate on admission", ["RR on admission", "Respiratory rate", "Resp rate", "RR"],
            static (r, v) => r.RespiratoryRate = v, [Breaths], 4, 80),
        Integer("oxygen_saturation", "O2 saturation", ["O2 Sats", "SpO2", "Oxygen saturation", "Sats", "O2 saturation on admission"],
            static (r, v) => r.OxygenSaturation = v, [Percent, SaturationFraction], 50, 100),
        Integer("systolic_bp", "Systolic BP", ["Sytolic BP", "SBP", "Systolic blood pressure", "Systolic BP on admission"],
            static (r, v) => r.SystolicBp = v, [MmHg], 50, 260,
            "A value \"137/91\" gives both systolic and diastolic (the diastolic half only when the diastolic field gives no readable value; otherwise it is reported as superseded)."),
        Integer("diastolic_bp", "Diastolic BP", ["DBP", "Diastolic blood pressure", "Diastolic BP on admission", "Diastolic"],
            static (r, v) => r.DiastolicBp = v, [MmHg], 20, 160),
        new("systolic_bp, diastolic_bp", "Blood pressure", FieldKind.BloodPressure, ["BP", "Blood pressure on admission", "BP on admission"],
            "\"systolic/diastolic\" in one cell, optionally with units; each half fills its column unless that column's own field gives a readable value, and is then reported as superseded.",
            null) { Unit = "mmHg", Units = [MmHg], Min = 20, Max = 260 },
        new("fio2", "FiO2", FieldKind.FiO2, ["Fi02", "FiO2 on admission", "Inspired oxygen", "Fraction of inspired oxygen"],
            "Accepted forms: the 'FiO2' row below.", static (r, v) => r.FiO2 = (double?)v) { Unit = "fraction", Min = 0.21, Max = 1 },
        Decimal("lymphocytes", "Lymphocyte count on admission", ["Lymphocytes", "Lymphoctye count", "Lymphocyte count", "Lymphs"],
            static (r, v) => r.Lymphocytes = v, "x10^9/L", CellCounts(100), 0, 50),
        Decimal("neutrophils", "Neutrophil count on admission", ["Neutrophils", "Neutrophil count", "Neutrophill count", "Neuts"],
            static (r, v) => r.Neutrophils = v, "x10^9/L", CellCounts(200), 0, 100),
        Decimal("crp", "CRP on admission", ["CRP", "C-reactive protein", "C reactive protein on admission"], static (r, v) => r.Crp = v, "mg/L",
            [new("mg/L", ["mg/L", "mg/l", "ug/mL"]), new("mg/dL", ["mg/dL"], 10)], 0, 700),
        Decimal("d_dimer", "D-dimer on admission", ["D-Dimer", "Ddimer", "D dimer", "D-dimer"], static (r, v) => r.DDimer = v, "ng/mL",
            [new("ng/mL", ["ng/mL", "ug/L", "ng/mL FEU", "ug/L FEU"]), new("mg/L", ["mg/L", "ug/mL", "mg/L FEU", "ug/mL FEU"], 1000, BareBelow: 20)],
            0, 100_000),
        Decimal("ferritin", "Ferritin on admission", ["Ferritin", "Ferittin", "Ferriten"], static (r, v) => r.Ferritin = v, "µg/L",
            [new("µg/L", ["ug/L", "ng/mL"])], 0, 100_000),
        Decimal("troponin", "Troponin I", ["Trop I", "Troponin", "Troponin T", "hs-Troponin", "Trop"], static (r, v) => r.Troponin = v, "ng/L",
            [new("ng/L", ["ng/L", "pg/mL"]), new("µg/L", ["ug/L", "ng/mL"], 1000)], 0, 100_000),
        Decimal("ldh", "LDH on admission", ["LDH", "Lactate dehydrogenase"], static (r, v) => r.Ldh = v, "U/L",
            [new("U/L", ["U/L", "IU/L", "units/L"])], 0, 10_000),
        Decimal("fibrinogen", "Fibrinogen on admission", ["Fibrinogen", "Fibrinogen level"], static (r, v) => r.Fibrinogen = v, "g/L",
            [new("g/L", ["g/L"]), new("mg/dL", ["mg/dL"], 0.01, BareAbove: 20)], 0, 15),
        Flag("itu_admission", "ITU admission", ["ICU admission", "Admitted to ITU", "Admitted to ICU"], static (r, v) => r.ItuAdmission = v),
        Date("itu_admission_date", "Date of ITU admission", ["ITU admission date", "Date of ICU admission", "ICU admission date"],
            static (r, v) => r.ItuAdmissionDate = v),
        Flag("intubation", "Intubation", ["Intubated", "Intubaton", "Invasive ventilation"], static (r, v) => r.Intubation = v),
        Flag("death", "Death", ["Died", "Deceased"], static (r, v) => r.Death = v),
        Date("death_date", "Date of death", ["Death date", "Date died"], static (r, v) => r.DeathDate = v),
        Date("last_follow_up_date", "Date last known alive", ["Last follow-up", "Date of last follow up", "Last follow up date", "Date of last contact"],
            static (r, v) => r.LastFollowUpDate = v),
    ];

    private static readonly FrozenDictionary<string, FieldRule> ByName = BuildNames();

    /// <summary>The rule a submitted field name resolves to, or null for an unknown field.</summary>
    public static FieldRule? Resolve(string fieldName)
    {
        ArgumentNullException.ThrowIfNull(fieldName);
        return ByName.TryGetValue(TextKey.Fold(fieldName), out var rule) ? rule : null;
    }

    /// <summary>The rule whose column is <paramref name="column"/>.</summary>
    /// <exception cref="KeyNotFoundException">No rule fills that column.</exception>
    public static FieldRule ForColumn(string column)
    {
        foreach (var rule in Fields)
        {
            if (string.Equals(rule.Column, column, StringComparison.Ordinal))
            {
                return rule;
            }
        }

        throw new KeyNotFoundException($"No clinical rule fills column '{column}'.");
    }

    private static IReadOnlyList<UnitAlias> CellCounts(double bareAbove) =>
    [
        new("x10^9/L", ["x10^9/L", "10^9/L", "x10 9/L", "x10e9/L", "10e9/L", "x 10^9/l", "G/L", "x10*9/L", "10*9/L"]),
        // 1 x10^9/L is 1000 cells per microlitre.
        new("cells/µL", ["/uL", "cells/uL", "/mm3", "cells/mm3", "per uL", "/mm^3"], 0.001, BareAbove: bareAbove),
    ];

    private static FieldRule Date(string column, string name, IReadOnlyList<string> variants, Action<PatientRecord, DateOnly?> set) =>
        new(column, name, FieldKind.Date, variants,
            "Earliest plausible date 2019-12-01; latest the record's file date plus the load option's tolerance (366 days by default).",
            (r, v) => set(r, (DateOnly?)v)) { MinDate = EarliestEventDate };

    private static FieldRule Flag(string column, string name, IReadOnlyList<string> variants, Action<PatientRecord, bool?> set) =>
        new(column, name, FieldKind.Flag, variants, name.StartsWith("PMH", StringComparison.Ordinal) ? Comorbidity : "Yes/no/unknown.",
            (r, v) => set(r, (bool?)v));

    private static FieldRule Integer(
        string column, string name, IReadOnlyList<string> variants, Action<PatientRecord, int?> set, IReadOnlyList<UnitAlias> units,
        double min, double max, string rule = "Decimals are rounded to the nearest whole number.") =>
        new(column, name, FieldKind.Integer, variants, rule, (r, v) => set(r, (int?)v)) { Unit = units[0].Name, Units = units, Min = min, Max = max };

    private static FieldRule Decimal(
        string column, string name, IReadOnlyList<string> variants, Action<PatientRecord, double?> set, string unit,
        IReadOnlyList<UnitAlias> units, double min, double max) =>
        new(column, name, FieldKind.Decimal, variants, "Other units are converted to " + unit + ".", (r, v) => set(r, (double?)v))
        {
            Unit = unit,
            Units = units,
            Min = min,
            Max = max,
        };

    private static FrozenDictionary<string, FieldRule> BuildNames()
    {
        var names = new Dictionary<string, FieldRule>(StringComparer.Ordinal);
        foreach (var rule in Fields)
        {
            Add(names, rule.CanonicalName, rule);
            foreach (var variant in rule.Variants)
            {
                Add(names, variant, rule);
            }
        }

        return names.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static void Add(Dictionary<string, FieldRule> names, string name, FieldRule rule)
    {
        var key = TextKey.Fold(name);
        if (names.TryGetValue(key, out var existing) && !ReferenceEquals(existing, rule))
        {
            throw new InvalidOperationException($"Clinical field name '{name}' is claimed by both '{existing.CanonicalName}' and '{rule.CanonicalName}'.");
        }

        names[key] = rule;
    }
}
