using Nccid.Batch.Dicom;
using Nccid.Batch.Pipeline;
using Nccid.Batch.Storage;

namespace Nccid.Batch.Tables;

/// <summary>
/// Turns one parsed header into an <see cref="InstanceRow"/>: typed columns for the attributes analysts need,
/// and the whole header as DICOM JSON so that nothing is lost. One projector per worker (it keeps a JSON buffer).
/// </summary>
public sealed class InstanceProjector
{
    private const uint PixelDataTag = 0x7FE00010;
    private readonly DicomJsonWriter _json = new();
    private readonly bool _includeHeaderJson;

    /// <summary>Creates a projector; <paramref name="includeHeaderJson"/> controls the header_json column.</summary>
    public InstanceProjector(bool includeHeaderJson = true) => _includeHeaderJson = includeHeaderJson;

    /// <summary>Projects one object; an unreadable or non-DICOM object becomes an error row with the reason.</summary>
    public InstanceRow Project(StoredObject stored, HeaderReader reader, HeaderReadResult result) => Project(stored, reader, result, _includeHeaderJson);

    /// <summary>The header as DICOM JSON without the top-level elements in <paramref name="withheld"/>, or null when header_json is off.</summary>
    public string? HeaderJson(DicomHeader header, IReadOnlySet<uint>? withheld)
    {
        ArgumentNullException.ThrowIfNull(header);
        return _includeHeaderJson ? _json.WriteString(header, withheld) : null;
    }

    /// <summary>Projects one object, with header_json only when <paramref name="withHeaderJson"/>.</summary>
    public InstanceRow Project(StoredObject stored, HeaderReader reader, HeaderReadResult result, bool withHeaderJson)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(reader);
        var row = new InstanceRow
        {
            Path = stored.Key,
            SizeBytes = stored.Size,
            ModifiedUtc = DateTime.SpecifyKind(stored.ModifiedUtc, DateTimeKind.Utc),
            HeaderBytes = result.BytesRead,
        };

        if (result.Status != DicomParseStatus.Complete)
        {
            row.Status = InstanceRow.StatusError;
            row.Error = result.Error.ToString();
            return row;
        }

        var h = reader.Header;
        row.Status = InstanceRow.StatusOk;
        row.TransferSyntaxUID = h.DeclaredTransferSyntaxUid;
        row.SOPClassUID = h.GetString(DicomTags.SOPClassUID);
        row.SOPInstanceUID = h.GetString(DicomTags.SOPInstanceUID);
        row.StudyInstanceUID = h.GetString(DicomTags.StudyInstanceUID);
        row.SeriesInstanceUID = h.GetString(DicomTags.SeriesInstanceUID);
        row.FrameOfReferenceUID = h.GetString(DicomTags.FrameOfReferenceUID);
        row.Modality = h.GetString(DicomTags.Modality);
        row.PatientID = h.GetString(DicomTags.PatientID);
        row.PatientSex = h.GetString(DicomTags.PatientSex);
        row.PatientAge = h.GetString(DicomTags.PatientAge);
        row.StudyDate = Date(h, DicomTags.StudyDate);
        row.SeriesDate = Date(h, DicomTags.SeriesDate);
        row.AcquisitionDate = Date(h, DicomTags.AcquisitionDate);
        row.StudyTime = h.GetString(DicomTags.StudyTime);
        row.StudyDescription = h.GetString(DicomTags.StudyDescription);
        row.SeriesDescription = h.GetString(DicomTags.SeriesDescription);
        row.SeriesNumber = Int(h, DicomTags.SeriesNumber);
        row.InstanceNumber = Int(h, DicomTags.InstanceNumber);
        row.AccessionNumber = h.GetString(DicomTags.AccessionNumber);
        row.BodyPartExamined = h.GetString(DicomTags.BodyPartExamined);
        row.ViewPosition = h.GetString(DicomTags.ViewPosition);
        row.ImageType = h.GetStrings(DicomTags.ImageType);
        row.Manufacturer = h.GetString(DicomTags.Manufacturer);
        row.ManufacturerModelName = h.GetString(DicomTags.ManufacturerModelName);
        row.SoftwareVersions = h.GetStrings(DicomTags.SoftwareVersions);
        row.InstitutionName = h.GetString(DicomTags.InstitutionName);
        row.StationName = h.GetString(DicomTags.StationName);
        row.Rows = Int(h, DicomTags.Rows);
        row.Columns = Int(h, DicomTags.Columns);
        row.NumberOfFrames = Int(h, DicomTags.NumberOfFrames);
        row.BitsAllocated = Int(h, DicomTags.BitsAllocated);
        row.BitsStored = Int(h, DicomTags.BitsStored);
        row.PixelRepresentation = Int(h, DicomTags.PixelRepresentation);
        row.SamplesPerPixel = Int(h, DicomTags.SamplesPerPixel);
        row.PhotometricInterpretation = h.GetString(DicomTags.PhotometricInterpretation);
        row.PixelSpacing = h.GetDoubles(DicomTags.PixelSpacing);
        row.ImagerPixelSpacing = h.GetDoubles(DicomTags.ImagerPixelSpacing);
        row.SliceThickness = Double(h, DicomTags.SliceThickness);
        row.SpacingBetweenSlices = Double(h, DicomTags.SpacingBetweenSlices);
        row.ImagePositionPatient = h.GetDoubles(DicomTags.ImagePositionPatient);
        row.ImageOrientationPatient = h.GetDoubles(DicomTags.ImageOrientationPatient);
        row.KVP = Double(h, DicomTags.KVP);
        row.ConvolutionKernel = h.GetStrings(DicomTags.ConvolutionKernel);
        row.ContrastBolusAgent = h.GetString(DicomTags.ContrastBolusAgent);
        row.SpecificCharacterSet = h.GetStrings(DicomTags.SpecificCharacterSet);
        row.BurnedInAnnotation = h.GetString(DicomTags.BurnedInAnnotation);
        row.PatientIdentityRemoved = h.GetString(DicomTags.PatientIdentityRemoved);
        row.DeidentificationMethod = h.GetString(DicomTags.DeidentificationMethod);
        if (h.PixelData is { Tag: PixelDataTag } pixel)
        {
            row.PixelDataEncapsulated = pixel.IsEncapsulated;
            row.PixelDataLength = pixel.Length;
        }

        row.PrivateElementCount = h.PrivateElementCount;
        row.ElementCount = h.TopLevelCount;
        if (withHeaderJson) row.HeaderJson = HeaderJson(h, null);
        return row;
    }

    private static DateOnly? Date(DicomHeader h, uint tag) => h.TryGetDate(tag, out var d) ? d : null;

    private static int? Int(DicomHeader h, uint tag) => h.TryGetInt32(tag, out var v) ? v : null;

    private static double? Double(DicomHeader h, uint tag) => h.TryGetDouble(tag, out var v) ? v : null;
}
