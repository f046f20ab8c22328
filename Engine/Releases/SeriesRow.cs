namespace Nccid.Batch.Releases;

/// <summary>One released series.</summary>
public sealed class SeriesRow
{
#pragma warning disable CS1591 // Documented by the column descriptions in SeriesTable.
    public string SeriesInstanceUid { get; set; } = string.Empty;
    public string? StudyInstanceUid { get; set; }
    public string? Pseudonym { get; set; }
    public string? Modality { get; set; }
    public int? SeriesNumber { get; set; }
    public string? SeriesDescription { get; set; }
    public string? BodyPartExamined { get; set; }
    public string? Manufacturer { get; set; }
    public string? ManufacturerModelName { get; set; }
    public int InstanceCount { get; set; }
    public long Bytes { get; set; }
#pragma warning restore CS1591
}
