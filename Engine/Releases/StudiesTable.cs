using Nccid.Batch.Tables;

namespace Nccid.Batch.Releases;

/// <summary>The <c>studies</c> and <c>series</c> tables, aggregated from the released instances.</summary>
public static class StudiesTable
{
    /// <summary>One row per study.</summary>
    public static TableSchema<StudyRow> Studies { get; } = new TableSchemaBuilder<StudyRow>("studies",
            "One row per released study (from readable, non-quarantined instances), sorted by Study Instance UID.")
        .RequiredString("study_instance_uid", "(0020,000D) Study Instance UID", r => r.StudyInstanceUid)
        .String("pseudonym", "Patient pseudonym", r => r.Pseudonym)
        .String("submitting_centre", "Submitting centre", r => r.SubmittingCentre)
        .String("split", "training or validation", r => r.Split)
        .Date("study_date", "(0008,0020) Study Date (earliest among the study's instances)", r => r.StudyDate)
        .String("study_description", "(0008,1030) Study Description", r => r.StudyDescription)
        .StringList("modalities", "Modalities of the study's series, sorted", r => r.Modalities)
        .Int32("series_count", "Series in the study", r => r.SeriesCount)
        .Int32("instance_count", "Instances in the study", r => r.InstanceCount)
        .Int64("bytes", "Stored bytes of the study's files", r => r.Bytes)
        .Build();

    /// <summary>One row per series.</summary>
    public static TableSchema<SeriesRow> Series { get; } = new TableSchemaBuilder<SeriesRow>("series",
            "One row per released series, sorted by Series Instance UID.")
        .RequiredString("series_instance_uid", "(0020,000E) Series Instance UID", r => r.SeriesInstanceUid)
        .String("study_instance_uid", "(0020,000D) Study Instance UID", r => r.StudyInstanceUid)
        .String("pseudonym", "Patient pseudonym", r => r.Pseudonym)
        .String("modality", "(0008,0060) Modality", r => r.Modality)
        .Int32("series_number", "(0020,0011) Series Number", r => r.SeriesNumber)
        .String("series_description", "(0008,103E) Series Description", r => r.SeriesDescription)
        .String("body_part_examined", "(0018,0015) Body Part Examined", r => r.BodyPartExamined)
        .String("manufacturer", "(0008,0070) Manufacturer", r => r.Manufacturer)
        .String("manufacturer_model_name", "(0008,1090) Manufacturer's Model Name", r => r.ManufacturerModelName)
        .Int32("instance_count", "Instances in the series", r => r.InstanceCount)
        .Int64("bytes", "Stored bytes of the series' files", r => r.Bytes)
        .Build();
}
