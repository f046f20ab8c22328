namespace Nccid.Batch.Clinical;

/// <summary>One patient's cleaned clinical record: one row of the <c>patients</c> table.</summary>
public sealed class PatientRecord
{
    /// <summary>The patient's pseudonym.</summary>
    public string Pseudonym { get; set; } = string.Empty;

    /// <summary>The submitting centre: the record's own value, else the upload site.</summary>
    public string? SubmittingCentre { get; set; }

    /// <summary>training or validation, from the warehouse folder; null where the layout has none.</summary>
    public string? Split { get; set; }

    /// <summary>positive (a data_ file) or negative (a status_ file), from the newest file's name; for CSV rows, from the swab result.</summary>
    public string? Status { get; set; }

    /// <summary>Date of the patient's earliest file.</summary>
    public DateOnly? FirstFileDate { get; set; }

    /// <summary>Date of the patient's newest file.</summary>
    public DateOnly? LatestFileDate { get; set; }

    /// <summary>The file (or CSV file and line) the record was read from, relative to the root, '/' separators.</summary>
    public string SourcePath { get; set; } = string.Empty;

    /// <summary>Files (and CSV rows) found for the patient, readable or not.</summary>
    public int FileCount { get; set; }

    /// <summary>F, M or U.</summary>
    public string? Sex { get; set; }

    /// <summary>Age in whole years.</summary>
    public int? Age { get; set; }

    /// <summary>clinical, dicom or null.</summary>
    public string? AgeSource { get; set; }

    /// <summary>NHS ethnic category letter (A to Z).</summary>
    public string? Ethnicity { get; set; }

    /// <summary>The NHS ethnic category's group, e.g. White.</summary>
    public string? EthnicGroup { get; set; }

    /// <summary>Date of the (first positive) swab.</summary>
    public DateOnly? SwabDate { get; set; }

    /// <summary>positive, negative or unknown.</summary>
    public string? SwabResult { get; set; }

    /// <summary>Kind of test, e.g. RT-PCR.</summary>
    public string? TestType { get; set; }

    /// <summary>Date of hospital admission.</summary>
    public DateOnly? AdmissionDate { get; set; }

    /// <summary>History of hypertension.</summary>
    public bool? Hypertension { get; set; }

    /// <summary>History of type II diabetes.</summary>
    public bool? Diabetes { get; set; }

    /// <summary>History of COPD.</summary>
    public bool? Copd { get; set; }

    /// <summary>History of asthma.</summary>
    public bool? Asthma { get; set; }

    /// <summary>History of chronic lung disease.</summary>
    public bool? LungDisease { get; set; }

    /// <summary>History of chronic kidney disease.</summary>
    public bool? ChronicKidneyDisease { get; set; }

    /// <summary>History of cardiovascular disease.</summary>
    public bool? CardiovascularDisease { get; set; }

    /// <summary>History of cancer.</summary>
    public bool? Cancer { get; set; }

    /// <summary>Immunosuppressed.</summary>
    public bool? Immunosuppression { get; set; }

    /// <summary>Taking an ACE inhibitor.</summary>
    public bool? AceInhibitor { get; set; }

    /// <summary>Never, Former, Current or Unknown.</summary>
    public string? SmokingStatus { get; set; }

    /// <summary>Temperature on admission in °C.</summary>
    public double? Temperature { get; set; }

    /// <summary>Heart rate on admission in beats/min.</summary>
    public int? HeartRate { get; set; }

    /// <summary>Respiratory rate on admission in breaths/min.</summary>
    public int? RespiratoryRate { get; set; }

    /// <summary>Oxygen saturation (SpO2) on admission in %.</summary>
    public int? OxygenSaturation { get; set; }

    /// <summary>Systolic blood pressure in mmHg.</summary>
    public int? SystolicBp { get; set; }

    /// <summary>Diastolic blood pressure in mmHg.</summary>
    public int? DiastolicBp { get; set; }

    /// <summary>Fraction of inspired oxygen, 0.21 to 1.</summary>
    public double? FiO2 { get; set; }

    /// <summary>Lymphocyte count in 10^9/L.</summary>
    public double? Lymphocytes { get; set; }

    /// <summary>Neutrophil count in 10^9/L.</summary>
    public double? Neutrophils { get; set; }

    /// <summary>C-reactive protein in mg/L.</summary>
    public double? Crp { get; set; }

    /// <summary>D-dimer in ng/mL.</summary>
    public double? DDimer { get; set; }

    /// <summary>Ferritin in µg/L.</summary>
    public double? Ferritin { get; set; }

    /// <summary>Troponin in ng/L.</summary>
    public double? Troponin { get; set; }

    /// <summary>Lactate dehydrogenase in U/L.</summary>
    public double? Ldh { get; set; }

    /// <summary>Fibrinogen in g/L.</summary>
    public double? Fibrinogen { get; set; }

    /// <summary>Admitted to intensive care.</summary>
    public bool? ItuAdmission { get; set; }

    /// <summary>Date of intensive-care admission.</summary>
    public DateOnly? ItuAdmissionDate { get; set; }

    /// <summary>Intubated.</summary>
    public bool? Intubation { get; set; }

    /// <summary>Died.</summary>
    public bool? Death { get; set; }

    /// <summary>Date of death.</summary>
    public DateOnly? DeathDate { get; set; }

    /// <summary>Date last known alive.</summary>
    public DateOnly? LastFollowUpDate { get; set; }

    /// <summary>Columns whose values are outside their plausible range (kept, not changed), in rule-table order.</summary>
    public IReadOnlyList<string> FlaggedFields { get; set; } = [];

    /// <summary>Unrecognised fields as a JSON object (keys as submitted, nested keys joined with '.'); null when there are none.</summary>
    public string? ExtraFields { get; set; }
}
