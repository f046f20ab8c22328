namespace Nccid.Batch.Synthetic;

/// <summary>How <see cref="DicomFileWriter"/> frames and encodes a data set.</summary>
public sealed record DicomWriteOptions
{
    /// <summary>The transfer syntax of the data set (the file meta group is always explicit VR little endian).</summary>
    public SyntheticTransferSyntax TransferSyntax { get; init; } = SyntheticTransferSyntax.ExplicitVRLittleEndian;

    /// <summary>Write the 128-byte preamble and the "DICM" prefix.</summary>
    public bool IncludePreamble { get; init; } = true;

    /// <summary>Write the file meta information group (0002).</summary>
    public bool IncludeFileMeta { get; init; } = true;

    /// <summary>(0002,0002); when null, the data set's SOPClassUID (0008,0016) is used.</summary>
    public string? MediaStorageSopClassUid { get; init; }

    /// <summary>(0002,0003); when null, the data set's SOPInstanceUID (0008,0018) is used.</summary>
    public string? MediaStorageSopInstanceUid { get; init; }

    /// <summary>(0002,0012) Implementation Class UID.</summary>
    public string ImplementationClassUid { get; init; } = "2.25.302871587620519634398516207418906517361";

    /// <summary>(0002,0013) Implementation Version Name (at most 16 characters).</summary>
    public string ImplementationVersionName { get; init; } = "NCCID_SYNTH_1";
}
