namespace Nccid.Batch.Tables;

/// <summary>
/// One row of the <c>instances</c> table: one scanned DICOM file, whether or not its header could be read.
/// DICOM attributes are named by their keyword and are null when absent from the header (or when the file
/// failed); <see cref="InstancesTable"/> documents each column.
/// </summary>
public sealed class InstanceRow
{
    /// <summary>The <see cref="Status"/> of a file whose header was read.</summary>
    public const string StatusOk = "ok";

    /// <summary>The <see cref="Status"/> of a file whose header could not be read.</summary>
    public const string StatusError = "error";

    /// <summary>Path relative to the scanned root, with '/' separators.</summary>
    public string Path { get; set; } = string.Empty;

    /// <summary>File size in bytes.</summary>
    public long SizeBytes { get; set; }

    /// <summary>Last-modified time in UTC; written with microsecond precision.</summary>
    public DateTime ModifiedUtc { get; set; }

    /// <summary><see cref="StatusOk"/> or <see cref="StatusError"/>.</summary>
    public string Status { get; set; } = StatusOk;

    /// <summary>Why the header could not be read; null when the status is ok.</summary>
    public string? Error { get; set; }

    /// <summary>Bytes read from the file to parse its header.</summary>
    public long HeaderBytes { get; set; }

    /// <summary>(0002,0010) Transfer Syntax UID.</summary>
    public string? TransferSyntaxUID { get; set; }

    /// <summary>(0008,0016) SOP Class UID.</summary>
    public string? SOPClassUID { get; set; }

    /// <summary>(0008,0018) SOP Instance UID.</summary>
    public string? SOPInstanceUID { get; set; }

    /// <summary>(0020,000D) Study Instance UID.</summary>
    public string? StudyInstanceUID { get; set; }

    /// <summary>(0020,000E) Series Instance UID.</summary>
    public string? SeriesInstanceUID { get; set; }

    /// <summary>(0020,0052) Frame of Reference UID.</summary>
    public string? FrameOfReferenceUID { get; set; }

    /// <summary>(0008,0060) Modality.</summary>
    public string? Modality { get; set; }

    /// <summary>(0010,0020) Patient ID.</summary>
    public string? PatientID { get; set; }

    /// <summary>(0010,0040) Patient's Sex.</summary>
    public string? PatientSex { get; set; }

    /// <summary>(0010,1010) Patient's Age as stored, e.g. <c>045Y</c>.</summary>
    public string? PatientAge { get; set; }

    /// <summary>(0008,0020) Study Date.</summary>
    public DateOnly? StudyDate { get; set; }

    /// <summary>(0008,0021) Series Date.</summary>
    public DateOnly? SeriesDate { get; set; }

    /// <summary>(0008,0022) Acquisition Date.</summary>
    public DateOnly? AcquisitionDate { get; set; }

    /// <summary>(0008,0030) Study Time as stored, e.g. <c>093012.5</c>.</summary>
    public string? StudyTime { get; set; }

    /// <summary>(0008,1030) Study Description.</summary>
    public string? StudyDescription { get; set; }

    /// <summary>(0008,103E) Series Description.</summary>
    public string? SeriesDescription { get; set; }

    /// <summary>(0020,0011) Series Number.</summary>
    public int? SeriesNumber { get; set; }

    /// <summary>(0020,0013) Instance Number.</summary>
    public int? InstanceNumber { get; set; }

    /// <summary>(0008,0050) Accession Number.</summary>
    public string? AccessionNumber { get; set; }

    /// <summary>(0018,0015) Body Part Examined.</summary>
    public string? BodyPartExamined { get; set; }

    /// <summary>(0018,5101) View Position.</summary>
    public string? ViewPosition { get; set; }

    /// <summary>(0008,0008) Image Type, one entry per value.</summary>
    public IReadOnlyList<string>? ImageType { get; set; }

    /// <summary>(0008,0070) Manufacturer.</summary>
    public string? Manufacturer { get; set; }

    /// <summary>(0008,1090) Manufacturer's Model Name.</summary>
    public string? ManufacturerModelName { get; set; }

    /// <summary>(0018,1020) Software Versions, one entry per value.</summary>
    public IReadOnlyList<string>? SoftwareVersions { get; set; }

    /// <summary>(0008,0080) Institution Name.</summary>
    public string? InstitutionName { get; set; }

    /// <summary>(0008,1010) Station Name.</summary>
    public string? StationName { get; set; }

    /// <summary>(0028,0010) Rows.</summary>
    public int? Rows { get; set; }

    /// <summary>(0028,0011) Columns.</summary>
    public int? Columns { get; set; }

    /// <summary>(0028,0008) Number of Frames.</summary>
    public int? NumberOfFrames { get; set; }

    /// <summary>(0028,0100) Bits Allocated.</summary>
    public int? BitsAllocated { get; set; }

    /// <summary>(0028,0101) Bits Stored.</summary>
    public int? BitsStored { get; set; }

    /// <summary>(0028,0103) Pixel Representation.</summary>
    public int? PixelRepresentation { get; set; }

    /// <summary>(0028,0002) Samples per Pixel.</summary>
    public int? SamplesPerPixel { get; set; }

    /// <summary>(0028,0004) Photometric Interpretation.</summary>
    public string? PhotometricInterpretation { get; set; }

    /// <summary>(0028,0030) Pixel Spacing in mm (row spacing, column spacing).</summary>
    public IReadOnlyList<double>? PixelSpacing { get; set; }

    /// <summary>(0018,1164) Imager Pixel Spacing in mm.</summary>
    public IReadOnlyList<double>? ImagerPixelSpacing { get; set; }

    /// <summary>(0018,0050) Slice Thickness in mm.</summary>
    public double? SliceThickness { get; set; }

    /// <summary>(0018,0088) Spacing Between Slices in mm.</summary>
    public double? SpacingBetweenSlices { get; set; }

    /// <summary>(0020,0032) Image Position (Patient) in mm.</summary>
    public IReadOnlyList<double>? ImagePositionPatient { get; set; }

    /// <summary>(0020,0037) Image Orientation (Patient) direction cosines.</summary>
    public IReadOnlyList<double>? ImageOrientationPatient { get; set; }

    /// <summary>(0018,0060) KVP.</summary>
    public double? KVP { get; set; }

    /// <summary>(0018,1210) Convolution Kernel, one entry per value.</summary>
    public IReadOnlyList<string>? ConvolutionKernel { get; set; }

    /// <summary>(0018,0010) Contrast/Bolus Agent.</summary>
    public string? ContrastBolusAgent { get; set; }

    /// <summary>(0008,0005) Specific Character Set, one entry per value.</summary>
    public IReadOnlyList<string>? SpecificCharacterSet { get; set; }

    /// <summary>(0028,0301) Burned In Annotation.</summary>
    public string? BurnedInAnnotation { get; set; }

    /// <summary>(0012,0062) Patient Identity Removed.</summary>
    public string? PatientIdentityRemoved { get; set; }

    /// <summary>(0012,0063) De-identification Method as stored (multiple values joined by '\').</summary>
    public string? DeidentificationMethod { get; set; }

    /// <summary>Length in bytes of native (7FE0,0010) Pixel Data; null when it is encapsulated or absent.</summary>
    public long? PixelDataLength { get; set; }

    /// <summary>True when (7FE0,0010) Pixel Data is encapsulated; null when absent or not reached.</summary>
    public bool? PixelDataEncapsulated { get; set; }

    /// <summary>Number of private data elements in the header.</summary>
    public int? PrivateElementCount { get; set; }

    /// <summary>Number of data elements in the header.</summary>
    public int? ElementCount { get; set; }

    /// <summary>The whole header in the DICOM JSON model (PS3.18 F.2), without bulk data.</summary>
    public string? HeaderJson { get; set; }
}
