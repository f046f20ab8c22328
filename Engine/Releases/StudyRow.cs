namespace Nccid.Batch.Releases;

/// <summary>One released study.</summary>
public sealed class StudyRow
{
#pragma warning disable CS1591 // Documented by the column descriptions in StudiesTable.
    public string StudyInstanceUid { get; set; } = string.Empty;
    public string? Pseudonym { get; set; }
    public string? SubmittingCentre { get; set; }
    public string? Split { get; set; }
    public DateOnly? StudyDate { get; set; }
    public string? StudyDescription { get; set; }
    public IReadOnlyList<string> Modalities { get; set; } = [];
    public int SeriesCount { get; set; }
    public int InstanceCount { get; set; }
    public long Bytes { get; set; }
#pragma warning restore CS1591
}
