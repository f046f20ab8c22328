using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Nccid.Batch.Synthetic;

/// <summary>
/// Writes one clinical JSON record the way hospitals send them (key typos, mixed date formats, numbers as
/// text with units, free-text results) and logs every value whose raw form differs from its clean truth.
/// </summary>
internal sealed class ClinicalRecordWriter
{
    private static readonly DateOnly ExcelEpoch = new(1899, 12, 30);
    private readonly Utf8JsonWriter _json;
    private readonly SyntheticRandom _rng;
    private readonly GroundTruthLedger _ledger;
    private readonly string _path;

    private ClinicalRecordWriter(Utf8JsonWriter json, SyntheticRandom rng, GroundTruthLedger ledger, string path)
    {
        _json = json;
        _rng = rng;
        _ledger = ledger;
        _path = path;
    }

    /// <summary>Writes the record and returns its size in bytes.</summary>
    public static long Write(
        string fullPath, string relativePath, PatientFacts patient, ClinicalTruth truth, bool final, DateOnly recordDate,
        SyntheticRandom rng, GroundTruthLedger ledger)
    {
        using var stream = new FileStream(fullPath, FileMode.Create, FileAccess.Write, FileShare.None, 16 * 1024);
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions
        {
            Indented = patient.Centre.IndentedJson,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            var writer = new ClinicalRecordWriter(json, rng, ledger, relativePath);
            json.WriteStartObject();
            writer.WriteFields(patient, truth, final, recordDate);
            json.WriteEndObject();
        }

        return stream.Length;
    }

    private void WriteFields(PatientFacts patient, ClinicalTruth truth, bool final, DateOnly recordDate)
    {
        _json.WriteString("Pseudonym", patient.Pseudonym);
        _json.WriteString("SubmittingCentre", patient.Centre.Name);
        Sex(patient.Sex);
        Number("Age", ["Age", "age", "Age (years)"], patient.Age, 0, "years");
        Ethnicity(patient.EthnicityCode);
        Date("SwabDate", ["Date of Positive Covid Swab", "Date of 1st RT-PCR", "Swab date"], patient.SwabDate);
        // The clean result is the cleaner's lower-case vocabulary; the raw text is always one of the forms sent.
        Text("SwabResult", ["1st RT-PCR result", "RT-PCR result", "Covid test result"],
            patient.Positive ? "positive" : "negative",
            patient.Positive
                ? ["Positive", "POSITIVE", "RNA DETECTED (SARS-CoV-2)", "SARS-CoV-2 RNA detected", "Detected"]
                : ["Negative", "NEGATIVE", "SARS-CoV-2 RNA NOT detected", "Not detected", "RNA NOT DETECTED (SARS-CoV-2)"],
            alwaysVariant: true);
        Text("TestType", ["Test type", "Test Type", "test_type"], truth.TestType,
            truth.TestType == "RT-PCR" ? ["RT-PCR", "PCR", "rt-pcr", "RTPCR"] : ["Point of care PCR", "POC PCR", "Rapid PCR"]);
        if (!patient.Positive)
        {
            return;
        }

        Date("AdmissionDate", ["Date of admission", "Admission date", "Date of Admission"], truth.AdmissionDate);
        Flag("Hypertension", ["PMH hypertension", "PMH h1pertension", "PMH Hypertension"], truth.Hypertension);
        Flag("Diabetes", ["PMH diabetes mellitus type II", "PMH diabetes mellitus TYPE II", "PMH Diabetes T2"], truth.Diabetes);
        Flag("ChronicKidneyDisease", ["PMH CKD", "PMH ckd", "PMH Chronic kidney disease"], truth.ChronicKidneyDisease);
        Flag("LungDisease", ["PMH Lung disease", "PMH lung disease", "PMH Lung diease"], truth.LungDisease);
        Flag("AceInhibitor", ["Current ACEi use", "Current ACE-i use", "ACEi"], truth.AceInhibitor);
        Smoking(truth.Smoking);
        Number("Temperature", ["Temperature on admission", "Temp on admission"], truth.Temperature, 1, "C");
        Number("HeartRate", ["Heart rate on admission", "HR on admission"], truth.HeartRate, 0, "bpm");
        Number("SystolicBp", ["Systolic BP", "Sytolic BP", "SBP"], truth.SystolicBp, 0, "mmHg");
        Number("OxygenSaturation", ["O2 saturation", "O2 Sats", "SpO2"], truth.OxygenSaturation, 0, "%");
        FiO2(truth);
        Number("Lymphocytes", ["Lymphocyte count on admission", "Lymphocytes", "Lymphoctye count"], truth.Lymphocytes, 1, "x10^9/L");
        Number("Crp", ["CRP on admission", "CRP", "C-reactive protein"], truth.Crp, 0, "mg/L");
        Number("DDimer", ["D-dimer on admission", "D-Dimer", "Ddimer"], truth.DDimer, 0, "ng/mL");
        Number("Ferritin", ["Ferritin on admission", "Ferritin", "Ferittin"], truth.Ferritin, 0, "ug/L");
        Number("Troponin", ["Troponin I", "Trop I", "Troponin"], truth.Troponin, 0, "ng/L");
        Number("Ldh", ["LDH on admission", "LDH", "Lactate dehydrogenase"], truth.Ldh, 0, "U/L");
        Flag("Itu", ["ITU admission", "ITU Admission", "ICU admission"], truth.Itu);
        Date("ItuDate", ["Date of ITU admission", "ITU admission date"], truth.ItuDate);
        Flag("Intubation", ["Intubation", "Intubated", "Intubaton"], truth.Intubated);
        if (final)
        {
            Flag("Death", ["Death", "Died", "death"], truth.Died);
            Date("DeathDate", ["Date of death", "Date of Death"], truth.DeathDate);
            Date("LastFollowUp", ["Date last known alive", "Last follow-up", "Date of last follow up"], truth.Died ? null : recordDate);
        }
    }

    private string Key(ReadOnlySpan<string> keys) => _rng.Chance(0.8) ? keys[0] : keys[1 + _rng.Next(keys.Length - 1)];

    private void Record(string field, string key, string canonicalKey, string raw, string? clean)
    {
        if (raw != clean || key != canonicalKey)
        {
            _ledger.AddClinicalValue(_path, field, key, raw, clean);
        }
    }

    private void WriteRawString(string field, string key, string canonicalKey, string raw, string? clean)
    {
        _json.WriteString(key, raw);
        Record(field, key, canonicalKey, raw, clean);
    }

    private void WriteRawNumber(string field, string key, string canonicalKey, double raw, string? clean)
    {
        _json.WriteNumber(key, raw);
        Record(field, key, canonicalKey, Format(raw), clean);
    }

    private void Sex(char sex)
    {
        var key = Key(["Sex", "sex", "Gender"]);
        // Clean values are what the clinical cleaner outputs: F, M, or U for unknown.
        var clean = sex switch { 'M' => "M", 'F' => "F", _ => "U" };
        var coded = sex switch { 'M' => 1, 'F' => 2, _ => 0 };
        switch (_rng.Next(4))
        {
            case 0:
                WriteRawNumber("Sex", key, "Sex", coded, clean);
                break;
            case 1:
                WriteRawString("Sex", key, "Sex", coded.ToString(CultureInfo.InvariantCulture), clean);
                break;
            case 2:
                WriteRawString("Sex", key, "Sex", sex switch { 'M' => "Male", 'F' => "Female", _ => "Unknown" }, clean);
                break;
            default:
                WriteRawString("Sex", key, "Sex", sex == 'U' ? "Unknown" : clean, clean);
                break;
        }
    }

    private void Ethnicity(string code)
    {
        var key = Key(["Ethnicity", "ethnicity", "Ethnic group"]);
        string[] words = code switch
        {
            "A" => ["White British", "White - British", "WHITE BRITISH"],
            "C" => ["Any other White background", "White other"],
            "D" => ["Mixed White and Black Caribbean", "Mixed - White and Black Caribbean"],
            "H" => ["Asian or Asian British - Indian", "Indian"],
            "J" => ["Asian or Asian British - Pakistani", "Pakistani"],
            "M" => ["Black or Black British - Caribbean", "Black Caribbean"],
            "N" => ["Black or Black British - African", "Black African"],
            _ => ["Not stated", "Unknown", ""],
        };
        var raw = _rng.Chance(0.5) ? code : _rng.Pick(words);
        WriteRawString("Ethnicity", key, "Ethnicity", raw, code);
    }

    private void Smoking(string clean)
    {
        var key = Key(["Smoking status", "Smoking", "Smoker"]);
        string[] variants = clean switch
        {
            "Never" => ["Never", "never smoked", "Non-smoker", "0"],
            "Former" => ["Former", "Ex-smoker", "ex", "1"],
            "Current" => ["Current", "current smoker", "Yes", "2"],
            _ => ["Unknown", "", "not known"],
        };
        WriteRawString("Smoking", key, "Smoking status", _rng.Pick(variants), clean);
    }

    private void Text(string field, ReadOnlySpan<string> keys, string clean, ReadOnlySpan<string> variants, bool alwaysVariant = false)
    {
        var key = Key(keys);
        var keepClean = _rng.Chance(0.5) && !alwaysVariant;
        var raw = keepClean ? clean : variants[_rng.Next(variants.Length)];
        WriteRawString(field, key, keys[0], raw, clean);
    }

    private void Date(string field, ReadOnlySpan<string> keys, DateOnly? value)
    {
        var key = Key(keys);
        if (value is not { } date)
        {
            if (_rng.Chance(0.5))
            {
                WriteRawString(field, key, keys[0], string.Empty, null);
            }
            else
            {
                _json.WriteNull(key);
            }

            return;
        }

        var clean = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        switch (_rng.Next(6))
        {
            case 0:
                WriteRawString(field, key, keys[0], date.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture), clean);
                break;
            case 1:
                WriteRawString(field, key, keys[0], date.ToString("M/d/yy", CultureInfo.InvariantCulture), clean);
                break;
            case 2:
                WriteRawNumber(field, key, keys[0], date.DayNumber - ExcelEpoch.DayNumber, clean);
                break;
            case 3:
                WriteRawString(field, key, keys[0], "[Text] - " + clean, clean);
                break;
            default:
                WriteRawString(field, key, keys[0], clean, clean);
                break;
        }
    }

    private void Flag(string field, ReadOnlySpan<string> keys, bool? value)
    {
        var key = Key(keys);
        var clean = value switch { true => "true", false => "false", null => null };
        if (value is null)
        {
            WriteRawString(field, key, keys[0], _rng.Chance(0.5) ? string.Empty : "Unknown", null);
            return;
        }

        var yes = value.Value;
        switch (_rng.Next(5))
        {
            case 0:
                WriteRawNumber(field, key, keys[0], yes ? 1 : 0, clean);
                break;
            case 1:
                WriteRawString(field, key, keys[0], yes ? "1" : "0", clean);
                break;
            case 2:
                WriteRawString(field, key, keys[0], yes ? "Yes" : "No", clean);
                break;
            case 3:
                // Keyboard slips seen in real submissions.
                WriteRawString(field, key, keys[0], yes ? "1es" : "NO", clean);
                break;
            default:
                _json.WriteBoolean(key, yes);
                Record(field, key, keys[0], clean!, clean);
                break;
        }
    }

    private void Number(string field, ReadOnlySpan<string> keys, double value, int decimals, string unit)
    {
        var key = Key(keys);
        var clean = Format(value);
        switch (_rng.Next(5))
        {
            case 0:
                WriteRawString(field, key, keys[0], clean, clean);
                break;
            case 1:
                WriteRawString(field, key, keys[0], clean + " " + unit, clean);
                break;
            case 2 when decimals > 0:
                WriteRawString(field, key, keys[0], clean.Replace('.', ','), clean);
                break;
            default:
                WriteRawNumber(field, key, keys[0], value, clean);
                break;
        }
    }

    private void FiO2(ClinicalTruth truth)
    {
        var key = Key(["FiO2", "FIO2", "Fi02"]);
        var clean = Format(truth.FiO2);
        if (truth.OxygenFlowLitres is { } litres)
        {
            WriteRawString("FiO2", key, "FiO2", litres.ToString(CultureInfo.InvariantCulture) + "L", clean);
            return;
        }

        switch (_rng.Next(3))
        {
            case 0:
                WriteRawNumber("FiO2", key, "FiO2", truth.FiO2, clean);
                break;
            case 1:
                WriteRawString("FiO2", key, "FiO2", Format(Math.Round(truth.FiO2 * 100)) + "%", clean);
                break;
            default:
                WriteRawNumber("FiO2", key, "FiO2", Math.Round(truth.FiO2 * 100), clean);
                break;
        }
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
