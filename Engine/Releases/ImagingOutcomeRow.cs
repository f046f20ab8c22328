namespace Nccid.Batch.Releases;

/// <summary>One image with the metadata analysts filter on and its patient's outcomes and timings.</summary>
public sealed class ImagingOutcomeRow
{
#pragma warning disable CS1591 // Each property is documented by its column description in ImagingOutcomesTable.
    public string Path { get; set; } = string.Empty;
    public string? SopInstanceUid { get; set; }
    public string? Pseudonym { get; set; }
    public string? SubmittingCentre { get; set; }
    public string? Split { get; set; }
    public string? Modality { get; set; }
    public string? StudyInstanceUid { get; set; }
    public string? SeriesInstanceUid { get; set; }
    public DateOnly? StudyDate { get; set; }
    public string? BodyPartExamined { get; set; }
    public string? ViewPosition { get; set; }
    public string? Manufacturer { get; set; }
    public int? Rows { get; set; }
    public int? Columns { get; set; }
    public bool HasClinicalRecord { get; set; }
    public string? CovidStatus { get; set; }
    public string? Sex { get; set; }
    public int? Age { get; set; }
    public DateOnly? SwabDate { get; set; }
    public DateOnly? AdmissionDate { get; set; }
    public bool? ItuAdmission { get; set; }
    public DateOnly? ItuAdmissionDate { get; set; }
    public bool? Intubation { get; set; }
    public bool? Death { get; set; }
    public DateOnly? DeathDate { get; set; }
    public int? DaysFromSwabToStudy { get; set; }
    public int? DaysFromAdmissionToStudy { get; set; }
    public bool? StudyBeforeItu { get; set; }
    public bool? DeathWithin28Days { get; set; }
    public bool? ItuWithin28Days { get; set; }
    public bool? InCollectionWindow { get; set; }
#pragma warning restore CS1591
}
