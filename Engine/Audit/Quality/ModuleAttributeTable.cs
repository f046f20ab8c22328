using Nccid.Batch.Dicom;

namespace Nccid.Batch.Audit.Quality;

/// <summary>
/// The Type 1 and Type 2 attributes of the modules the CR, DX, CT and MR Image IODs use (PS3.3 Annex A, Tables
/// A.2-1, A.26-1, A.3-1, A.4-1, and the module tables of Annex C). Conditional (1C, 2C) and optional (3)
/// attributes are left out: their conditions are not decidable from the header alone. A tag appears once; where
/// two modules of one IOD list it, the stricter type is kept.
/// </summary>
internal static class ModuleAttributeTable
{
    private const ImagingKinds Any = ImagingKinds.Any;
    private const ImagingKinds Images = ImagingKinds.Images;
    private const ImagingKinds CR = ImagingKinds.CR;
    private const ImagingKinds DX = ImagingKinds.DX;
    private const ImagingKinds CT = ImagingKinds.CT;
    private const ImagingKinds MR = ImagingKinds.MR;

    /// <summary>The rows, in tag order.</summary>
    public static readonly ModuleAttribute[] Rows =
    [
        new(DicomTags.ImageType, 1, DX | CT | MR, "DX/CT/MR Image (C.8.11.3, C.8.2.1, C.8.3.1)"),
        new(DicomTags.SOPClassUID, 1, Any, "SOP Common (C.12.1)"),
        new(DicomTags.SOPInstanceUID, 1, Any, "SOP Common (C.12.1)"),
        new(DicomTags.StudyDate, 2, Any, "General Study (C.7.2.1)"),
        new(DicomTags.StudyTime, 2, Any, "General Study (C.7.2.1)"),
        new(DicomTags.AccessionNumber, 2, Any, "General Study (C.7.2.1)"),
        new(DicomTags.Modality, 1, Any, "General Series (C.7.3.1)"),
        new(DicomTags.PresentationIntentType, 1, DX, "DX Series (C.8.11.1)"),
        new(DicomTags.Manufacturer, 2, Images, "General Equipment (C.7.5.1)"),
        new(DicomTags.ReferringPhysicianName, 2, Any, "General Study (C.7.2.1)"),
        new(DicomTags.PatientName, 2, Any, "Patient (C.7.1.1)"),
        new(DicomTags.PatientID, 2, Any, "Patient (C.7.1.1)"),
        new(DicomTags.PatientBirthDate, 2, Any, "Patient (C.7.1.1)"),
        new(DicomTags.PatientSex, 2, Any, "Patient (C.7.1.1)"),
        new(DicomTags.BodyPartExamined, 2, CR, "CR Series (C.8.1.1)"),
        new(DicomTags.ScanningSequence, 1, MR, "MR Image (C.8.3.1)"),
        new(DicomTags.SequenceVariant, 1, MR, "MR Image (C.8.3.1)"),
        new(DicomTags.ScanOptions, 2, MR, "MR Image (C.8.3.1)"),
        new(DicomTags.MRAcquisitionType, 2, MR, "MR Image (C.8.3.1)"),
        new(DicomTags.KVP, 2, CT, "CT Image (C.8.2.1)"),
        new(DicomTags.EchoTime, 2, MR, "MR Image (C.8.3.1)"),
        new(DicomTags.EchoTrainLength, 2, MR, "MR Image (C.8.3.1)"),
        new(DicomTags.ViewPosition, 2, CR, "CR Series (C.8.1.1)"),
        new(DicomTags.StudyInstanceUID, 1, Any, "General Study (C.7.2.1)"),
        new(DicomTags.SeriesInstanceUID, 1, Any, "General Series (C.7.3.1)"),
        new(DicomTags.StudyID, 2, Any, "General Study (C.7.2.1)"),
        new(DicomTags.SeriesNumber, 2, Any, "General Series (C.7.3.1)"),
        new(DicomTags.AcquisitionNumber, 2, CT, "CT Image (C.8.2.1)"),
        new(DicomTags.InstanceNumber, 2, Images, "General Image (C.7.6.1)"),
        new(DicomTags.SamplesPerPixel, 1, Images, "Image Pixel (C.7.6.3)"),
        new(DicomTags.PhotometricInterpretation, 1, Images, "Image Pixel (C.7.6.3)"),
        new(DicomTags.Rows, 1, Images, "Image Pixel (C.7.6.3)"),
        new(DicomTags.Columns, 1, Images, "Image Pixel (C.7.6.3)"),
        new(DicomTags.BitsAllocated, 1, Images, "Image Pixel (C.7.6.3)"),
        new(DicomTags.BitsStored, 1, Images, "Image Pixel (C.7.6.3)"),
        new(DicomTags.HighBit, 1, Images, "Image Pixel (C.7.6.3)"),
        new(DicomTags.PixelRepresentation, 1, Images, "Image Pixel (C.7.6.3)"),
        new(DicomTags.PixelIntensityRelationship, 1, DX, "DX Image (C.8.11.3)"),
        new(DicomTags.PixelIntensityRelationshipSign, 1, DX, "DX Image (C.8.11.3)"),
        new(DicomTags.RescaleIntercept, 1, DX | CT, "DX/CT Image (C.8.11.3, C.8.2.1)"),
        new(DicomTags.RescaleSlope, 1, DX | CT, "DX/CT Image (C.8.11.3, C.8.2.1)"),
        new(DicomTags.RescaleType, 1, DX, "DX Image (C.8.11.3)"),
    ];

    /// <summary>The IOD of an instance: by SOP Class UID, else by Modality, else <see cref="ImagingKinds.Other"/>.</summary>
    public static ImagingKinds KindOf(DicomHeader header)
    {
        var sopClass = header.FindTopLevel(DicomTags.SOPClassUID);
        if (sopClass >= 0)
        {
            var kind = KindOfSopClass(header.TrimmedValue(sopClass));
            if (kind != ImagingKinds.Other) return kind;
        }

        var modality = header.FindTopLevel(DicomTags.Modality);
        return modality < 0 ? ImagingKinds.Other : KindOfModality(header.TrimmedValue(modality));
    }

    /// <summary>The IOD a SOP Class UID names, or <see cref="ImagingKinds.Other"/>.</summary>
    public static ImagingKinds KindOfSopClass(ReadOnlySpan<byte> uid)
    {
        if (uid.SequenceEqual("1.2.840.10008.5.1.4.1.1.1"u8)) return ImagingKinds.CR;
        if (uid.SequenceEqual("1.2.840.10008.5.1.4.1.1.1.1"u8) || uid.SequenceEqual("1.2.840.10008.5.1.4.1.1.1.1.1"u8)) return ImagingKinds.DX;
        if (uid.SequenceEqual("1.2.840.10008.5.1.4.1.1.2"u8)) return ImagingKinds.CT;
        if (uid.SequenceEqual("1.2.840.10008.5.1.4.1.1.4"u8)) return ImagingKinds.MR;
        return ImagingKinds.Other;
    }

    /// <summary>The IOD a Modality value implies, or <see cref="ImagingKinds.Other"/>.</summary>
    public static ImagingKinds KindOfModality(ReadOnlySpan<byte> modality)
    {
        if (modality.SequenceEqual("CR"u8)) return ImagingKinds.CR;
        if (modality.SequenceEqual("DX"u8)) return ImagingKinds.DX;
        if (modality.SequenceEqual("CT"u8)) return ImagingKinds.CT;
        if (modality.SequenceEqual("MR"u8)) return ImagingKinds.MR;
        return ImagingKinds.Other;
    }

    /// <summary>The Modality value an IOD requires ("CR", "DX", "CT", "MR"), or null.</summary>
    public static string? ModalityOf(ImagingKinds kind) => kind switch
    {
        ImagingKinds.CR => "CR",
        ImagingKinds.DX => "DX",
        ImagingKinds.CT => "CT",
        ImagingKinds.MR => "MR",
        _ => null,
    };
}
