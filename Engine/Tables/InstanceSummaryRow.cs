namespace Nccid.Batch.Tables;

/// <summary>The scalar columns of an instances row that release assembly needs, read back from the part files.</summary>
public sealed record InstanceSummaryRow(
    string Path, string Status, long SizeBytes, DateTime ModifiedUtc, string? SopInstanceUid, string? SopClassUid, string? StudyInstanceUid,
    string? SeriesInstanceUid, string? Modality, string? PatientId, string? PatientSex, string? PatientAge, DateOnly? StudyDate,
    int? SeriesNumber, string? SeriesDescription, string? StudyDescription, string? BodyPartExamined, string? ViewPosition,
    string? Manufacturer, string? ManufacturerModelName, int? Rows, int? Columns, string? TransferSyntaxUid);
