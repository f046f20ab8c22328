using Nccid.Batch.Tables;

namespace Nccid.Batch.Releases;

/// <summary>The <c>imaging_outcomes</c> table: the imaging–outcomes join, one row per released image.</summary>
public static class ImagingOutcomesTable
{
    /// <summary>The schema.</summary>
    public static TableSchema<ImagingOutcomeRow> Schema { get; } = new TableSchemaBuilder<ImagingOutcomeRow>("imaging_outcomes",
            "One row per released image (readable, not quarantined) with its imaging metadata, its patient's clinical outcomes and " +
            "derived timings. Images whose patient has no clinical record are included with has_clinical_record = false and are " +
            "listed in `orphans`. Sorted by path.")
        .RequiredString("path", "Path of the file, as in instances", r => r.Path)
        .String("sop_instance_uid", "(0008,0018) SOP Instance UID", r => r.SopInstanceUid)
        .String("pseudonym", "Patient pseudonym (DICOM PatientID, the folder name and the clinical record's key)", r => r.Pseudonym)
        .String("submitting_centre", "Submitting centre from the clinical record (or the upload site)", r => r.SubmittingCentre)
        .String("split", "training or validation", r => r.Split)
        .String("modality", "(0008,0060) Modality", r => r.Modality)
        .String("study_instance_uid", "(0020,000D) Study Instance UID", r => r.StudyInstanceUid)
        .String("series_instance_uid", "(0020,000E) Series Instance UID", r => r.SeriesInstanceUid)
        .Date("study_date", "(0008,0020) Study Date", r => r.StudyDate)
        .String("body_part_examined", "(0018,0015) Body Part Examined", r => r.BodyPartExamined)
        .String("view_position", "(0018,5101) View Position", r => r.ViewPosition)
        .String("manufacturer", "(0008,0070) Manufacturer", r => r.Manufacturer)
        .Int32("rows", "(0028,0010) Rows", r => r.Rows)
        .Int32("columns", "(0028,0011) Columns", r => r.Columns)
        .Boolean("has_clinical_record", "True when the patient has a clinical record", r => r.HasClinicalRecord)
        .String("covid_status", "positive (RT-PCR positive, data_*.json) or negative (status_*.json)", r => r.CovidStatus)
        .String("sex", "F, M or U, from the clinical record (or DICOM when missing there)", r => r.Sex)
        .Int32("age", "Age in years at the swab (clinical record, or DICOM PatientAge when missing)", r => r.Age)
        .Date("swab_date", "Date of the positive (or negative) swab", r => r.SwabDate)
        .Date("admission_date", "Date of hospital admission", r => r.AdmissionDate)
        .Boolean("itu_admission", "Admitted to ITU", r => r.ItuAdmission)
        .Date("itu_admission_date", "Date of ITU admission", r => r.ItuAdmissionDate)
        .Boolean("intubation", "Intubated", r => r.Intubation)
        .Boolean("death", "Died", r => r.Death)
        .Date("death_date", "Date of death", r => r.DeathDate)
        .Int32("days_from_swab_to_study", "study_date − swab_date in days (negative: imaging before the swab)", r => r.DaysFromSwabToStudy)
        .Int32("days_from_admission_to_study", "study_date − admission_date in days", r => r.DaysFromAdmissionToStudy)
        .Boolean("study_before_itu", "True when the study was before ITU admission; null without an ITU admission date", r => r.StudyBeforeItu)
        .Boolean("death_within_28_days", "Death within 28 days after the study; null when the outcome is unknown", r => r.DeathWithin28Days)
        .Boolean("itu_within_28_days", "ITU admission within 28 days after the study; null when unknown", r => r.ItuWithin28Days)
        .Boolean("in_collection_window", "Within the NCCID collection window (positive: from 3 years before the swab through the stay; negative: from 4 weeks before the swab); null without a swab date", r => r.InCollectionWindow)
        .Build();
}
