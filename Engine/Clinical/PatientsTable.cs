using Nccid.Batch.Tables;

namespace Nccid.Batch.Clinical;

/// <summary>The <c>patients</c> table: one cleaned clinical record per patient.</summary>
public static class PatientsTable
{
    /// <summary>The table's name and folder name.</summary>
    public const string Name = "patients";

    /// <summary>The schema; columns appear in files and docs in this order.</summary>
    public static TableSchema<PatientRecord> Schema { get; } = new TableSchemaBuilder<PatientRecord>(Name,
            "One row per patient: the newest readable clinical record, cleaned by the rule table in docs/clinical.md, sorted by " +
            "pseudonym. Every change to a value is a row of `clinical_changes`; records that could not be cleaned are in the " +
            "quarantine list instead. Null means not submitted or not readable.")
        .RequiredString("pseudonym", "The patient's pseudonym (unit: none)", r => r.Pseudonym)
        .String("submitting_centre", "Submitting centre from the record, else the upload site (unit: none)", r => r.SubmittingCentre)
        .String("split", "'training' or 'validation' from the warehouse folder; null in the upload layout (unit: none)", r => r.Split)
        .String("status", "'positive' (newest file is data_…) or 'negative' (status_…); for CSV rows from the swab result (unit: none)", r => r.Status)
        .Date("first_file_date", "Date of the patient's earliest file or CSV export (unit: date)", r => r.FirstFileDate)
        .Date("latest_file_date", "Date of the patient's newest file or CSV export, readable or not (unit: date)", r => r.LatestFileDate)
        .RequiredString("source_path", "The file (or CSV file and ':line') the row was read from, relative to the clinical root (unit: none)", r => r.SourcePath)
        .Int32("file_count", "Files and CSV rows found for the patient (unit: count)", r => r.FileCount)
        .String("sex", "'F', 'M' or 'U' (unknown) (unit: none)", r => r.Sex)
        .Int32("age", "Age (unit: whole years)", r => r.Age)
        .String("age_source", "'clinical' (given, or derived from the birth year/date) or 'dicom' (from Patient's Age) (unit: none)", r => r.AgeSource)
        .String("ethnicity", "NHS ethnic category letter A–Z (Z = not stated) (unit: none)", r => r.Ethnicity)
        .String("ethnic_group", "The NHS ethnic category's group, e.g. 'White' (unit: none)", r => r.EthnicGroup)
        .Date("swab_date", "Date of the (first positive) swab (unit: date)", r => r.SwabDate)
        .String("swab_result", "'positive', 'negative' or 'unknown' (unit: none)", r => r.SwabResult)
        .String("test_type", "'RT-PCR', 'Point of care PCR', 'Lateral flow antigen', 'Antibody', or other text as submitted (unit: none)", r => r.TestType)
        .Date("admission_date", "Date of hospital admission (unit: date)", r => r.AdmissionDate)
        .Boolean("hypertension", "History of hypertension (unit: flag)", r => r.Hypertension)
        .Boolean("diabetes", "History of type II diabetes (unit: flag)", r => r.Diabetes)
        .Boolean("copd", "History of COPD (unit: flag)", r => r.Copd)
        .Boolean("asthma", "History of asthma (unit: flag)", r => r.Asthma)
        .Boolean("lung_disease", "History of chronic lung disease (unit: flag)", r => r.LungDisease)
        .Boolean("chronic_kidney_disease", "History of chronic kidney disease (unit: flag)", r => r.ChronicKidneyDisease)
        .Boolean("cardiovascular_disease", "History of cardiovascular disease (unit: flag)", r => r.CardiovascularDisease)
        .Boolean("cancer", "History of cancer (unit: flag)", r => r.Cancer)
        .Boolean("immunosuppression", "Immunosuppressed (unit: flag)", r => r.Immunosuppression)
        .Boolean("ace_inhibitor", "Taking an ACE inhibitor (unit: flag)", r => r.AceInhibitor)
        .String("smoking_status", "'Never', 'Former', 'Current' or 'Unknown' (unit: none)", r => r.SmokingStatus)
        .Double("temperature", "Temperature on admission (unit: °C)", r => r.Temperature)
        .Int32("heart_rate", "Heart rate on admission (unit: beats/min)", r => r.HeartRate)
        .Int32("respiratory_rate", "Respiratory rate on admission (unit: breaths/min)", r => r.RespiratoryRate)
        .Int32("oxygen_saturation", "Oxygen saturation SpO2 on admission (unit: %)", r => r.OxygenSaturation)
        .Int32("systolic_bp", "Systolic blood pressure (unit: mmHg)", r => r.SystolicBp)
        .Int32("diastolic_bp", "Diastolic blood pressure (unit: mmHg)", r => r.DiastolicBp)
        .Double("fio2", "Fraction of inspired oxygen, 0.21–1; estimated when submitted as a flow in L/min (unit: fraction)", r => r.FiO2)
        .Double("lymphocytes", "Lymphocyte count on admission (unit: x10^9/L)", r => r.Lymphocytes)
        .Double("neutrophils", "Neutrophil count on admission (unit: x10^9/L)", r => r.Neutrophils)
        .Double("crp", "C-reactive protein on admission (unit: mg/L)", r => r.Crp)
        .Double("d_dimer", "D-dimer on admission (unit: ng/mL)", r => r.DDimer)
        .Double("ferritin", "Ferritin on admission (unit: µg/L)", r => r.Ferritin)
        .Double("troponin", "Troponin on admission (unit: ng/L)", r => r.Troponin)
        .Double("ldh", "Lactate dehydrogenase on admission (unit: U/L)", r => r.Ldh)
        .Double("fibrinogen", "Fibrinogen on admission (unit: g/L)", r => r.Fibrinogen)
        .Boolean("itu_admission", "Admitted to intensive care (unit: flag)", r => r.ItuAdmission)
        .Date("itu_admission_date", "Date of intensive-care admission (unit: date)", r => r.ItuAdmissionDate)
        .Boolean("intubation", "Intubated (unit: flag)", r => r.Intubation)
        .Boolean("death", "Died (unit: flag)", r => r.Death)
        .Date("death_date", "Date of death (unit: date)", r => r.DeathDate)
        .Date("last_follow_up_date", "Date last known alive (unit: date)", r => r.LastFollowUpDate)
        .StringList("flagged_fields", "Columns of this row whose values are outside their plausible range, kept as submitted (unit: none)", r => r.FlaggedFields)
        .String("extra_fields", "Unrecognised fields as a JSON object, keys as submitted (nested keys joined with '.'), plus '<column>_date' for " +
            "dates split from '[value] - date' cells; never a field that names or holds an identifier; null when none (unit: none)", r => r.ExtraFields)
        .Build();
}
