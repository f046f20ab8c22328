namespace Nccid.Batch.Tables;

/// <summary>The <c>instances</c> table: one row per scanned DICOM file, including files that failed to parse.</summary>
public static class InstancesTable
{
    /// <summary>The table's name and folder name.</summary>
    public const string Name = "instances";

    /// <summary>The schema; columns appear in files and docs in this order.</summary>
    public static TableSchema<InstanceRow> Schema { get; } = new TableSchemaBuilder<InstanceRow>(
            Name,
            "One row per scanned DICOM file. Files whose header could not be read are included with " +
            "`status = 'error'` and the reason in `error`; their DICOM columns are null. DICOM columns are named " +
            "by attribute keyword and are null when the attribute is absent or empty.")
        .RequiredString("path", "Path of the file relative to the scanned root, '/' separators", r => r.Path)
        .Int64("size_bytes", "File size in bytes", r => r.SizeBytes)
        .Timestamp("modified_utc", "Last-modified time of the file, UTC", r => r.ModifiedUtc)
        .RequiredString("status", "'ok' when the header was read, 'error' when it was not", r => r.Status)
        .String("error", "Why the header could not be read; null when status is 'ok'", r => r.Error)
        .Int64("header_bytes", "Bytes read from the file to parse its header", r => r.HeaderBytes)
        .String("TransferSyntaxUID", "(0002,0010) Transfer Syntax UID", r => r.TransferSyntaxUID)
        .String("SOPClassUID", "(0008,0016) SOP Class UID", r => r.SOPClassUID)
        .String("SOPInstanceUID", "(0008,0018) SOP Instance UID", r => r.SOPInstanceUID)
        .String("StudyInstanceUID", "(0020,000D) Study Instance UID", r => r.StudyInstanceUID)
        .String("SeriesInstanceUID", "(0020,000E) Series Instance UID", r => r.SeriesInstanceUID)
        .String("FrameOfReferenceUID", "(0020,0052) Frame of Reference UID", r => r.FrameOfReferenceUID)
        .String("Modality", "(0008,0060) Modality", r => r.Modality)
        .String("PatientID", "(0010,0020) Patient ID", r => r.PatientID)
        .String("PatientSex", "(0010,0040) Patient's Sex", r => r.PatientSex)
        .String("PatientAge", "(0010,1010) Patient's Age as stored, e.g. '045Y'", r => r.PatientAge)
        .Date("StudyDate", "(0008,0020) Study Date", r => r.StudyDate)
        .Date("SeriesDate", "(0008,0021) Series Date", r => r.SeriesDate)
        .Date("AcquisitionDate", "(0008,0022) Acquisition Date", r => r.AcquisitionDate)
        .String("StudyTime", "(0008,0030) Study Time as stored, e.g. '093012.5'", r => r.StudyTime)
        .String("StudyDescription", "(0008,1030) Study Description", r => r.StudyDescription)
        .String("SeriesDescription", "(0008,103E) Series Description", r => r.SeriesDescription)
        .Int32("SeriesNumber", "(0020,0011) Series Number", r => r.SeriesNumber)
        .Int32("InstanceNumber", "(0020,0013) Instance Number", r => r.InstanceNumber)
        .String("AccessionNumber", "(0008,0050) Accession Number", r => r.AccessionNumber)
        .String("BodyPartExamined", "(0018,0015) Body Part Examined", r => r.BodyPartExamined)
        .String("ViewPosition", "(0018,5101) View Position", r => r.ViewPosition)
        .StringList("ImageType", "(0008,0008) Image Type, one element per value", r => r.ImageType)
        .String("Manufacturer", "(0008,0070) Manufacturer", r => r.Manufacturer)
        .String("ManufacturerModelName", "(0008,1090) Manufacturer's Model Name", r => r.ManufacturerModelName)
        .StringList("SoftwareVersions", "(0018,1020) Software Versions, one element per value", r => r.SoftwareVersions)
        .String("InstitutionName", "(0008,0080) Institution Name", r => r.InstitutionName)
        .String("StationName", "(0008,1010) Station Name", r => r.StationName)
        .Int32("Rows", "(0028,0010) Rows", r => r.Rows)
        .Int32("Columns", "(0028,0011) Columns", r => r.Columns)
        .Int32("NumberOfFrames", "(0028,0008) Number of Frames", r => r.NumberOfFrames)
        .Int32("BitsAllocated", "(0028,0100) Bits Allocated", r => r.BitsAllocated)
        .Int32("BitsStored", "(0028,0101) Bits Stored", r => r.BitsStored)
        .Int32("PixelRepresentation", "(0028,0103) Pixel Representation", r => r.PixelRepresentation)
        .Int32("SamplesPerPixel", "(0028,0002) Samples per Pixel", r => r.SamplesPerPixel)
        .String("PhotometricInterpretation", "(0028,0004) Photometric Interpretation", r => r.PhotometricInterpretation)
        .DoubleList("PixelSpacing", "(0028,0030) Pixel Spacing in mm (row, column)", r => r.PixelSpacing)
        .DoubleList("ImagerPixelSpacing", "(0018,1164) Imager Pixel Spacing in mm (row, column)", r => r.ImagerPixelSpacing)
        .Double("SliceThickness", "(0018,0050) Slice Thickness in mm", r => r.SliceThickness)
        .Double("SpacingBetweenSlices", "(0018,0088) Spacing Between Slices in mm", r => r.SpacingBetweenSlices)
        .DoubleList("ImagePositionPatient", "(0020,0032) Image Position (Patient) in mm (x, y, z)", r => r.ImagePositionPatient)
        .DoubleList("ImageOrientationPatient", "(0020,0037) Image Orientation (Patient), six direction cosines", r => r.ImageOrientationPatient)
        .Double("KVP", "(0018,0060) KVP", r => r.KVP)
        .StringList("ConvolutionKernel", "(0018,1210) Convolution Kernel, one element per value", r => r.ConvolutionKernel)
        .String("ContrastBolusAgent", "(0018,0010) Contrast/Bolus Agent", r => r.ContrastBolusAgent)
        .StringList("SpecificCharacterSet", "(0008,0005) Specific Character Set, one element per value", r => r.SpecificCharacterSet)
        .String("BurnedInAnnotation", "(0028,0301) Burned In Annotation", r => r.BurnedInAnnotation)
        .String("PatientIdentityRemoved", "(0012,0062) Patient Identity Removed", r => r.PatientIdentityRemoved)
        .String("DeidentificationMethod", "(0012,0063) De-identification Method as stored, values joined by '\\'", r => r.DeidentificationMethod)
        .Int64("pixel_data_length", "Length in bytes of native (7FE0,0010) Pixel Data; null when encapsulated or absent", r => r.PixelDataLength)
        .Boolean("pixel_data_encapsulated", "True when (7FE0,0010) Pixel Data is encapsulated; null when absent", r => r.PixelDataEncapsulated)
        .Int32("private_element_count", "Number of private data elements in the header", r => r.PrivateElementCount)
        .Int32("element_count", "Number of data elements in the header", r => r.ElementCount)
        .String("header_json", "The whole header in the DICOM JSON model (PS3.18 F.2), without bulk data", r => r.HeaderJson)
        .Build()
        .WithoutDictionary("path", "SOPInstanceUID", "header_json")
        .WithRowSizeEstimate(static r => 2048 + (2L * (r.HeaderJson?.Length ?? 0)));
}
