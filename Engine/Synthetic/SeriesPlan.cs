namespace Nccid.Batch.Synthetic;

/// <summary>Everything shared by the instances of one generated series.</summary>
internal sealed record SeriesPlan
{
    public required SyntheticImagingKind Kind { get; init; }
    public required string Modality { get; init; }
    public required string SopClassUid { get; init; }
    public required string StudyUid { get; init; }
    public required string SeriesUid { get; init; }
    public required DateOnly StudyDate { get; init; }
    public required string StudyTime { get; init; }
    public required string StudyDescription { get; init; }
    public required string SeriesDescription { get; init; }
    public required int SeriesNumber { get; init; }
    public required SyntheticVendor Vendor { get; init; }
    public required string Model { get; init; }
    public required SyntheticTransferSyntax TransferSyntax { get; init; }
    public required int Rows { get; init; }
    public required int Columns { get; init; }
    public required int BitsStored { get; init; }
    public required double PixelSpacing { get; init; }
    public required string ViewPosition { get; init; }
    public required string FrameOfReferenceUid { get; init; }
    public required double SliceThickness { get; init; }
    public required double OriginX { get; init; }
    public required double OriginY { get; init; }
    public required double OriginZ { get; init; }
    public required int InstanceCount { get; init; }
    public required bool UndefinedLengthSequences { get; init; }
    public required bool Monochrome1 { get; init; }

    /// <summary>Encapsulated syntaxes carry 8-bit JPEG baseline or 16-bit JPEG 2000 fragments; native ones 16-bit words.</summary>
    public int BitsAllocated => TransferSyntax == SyntheticTransferSyntax.JpegBaseline ? 8 : 16;

    public int EffectiveBitsStored => TransferSyntax == SyntheticTransferSyntax.JpegBaseline ? 8 : BitsStored;
}
