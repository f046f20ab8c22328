using Nccid.Batch.Audit;
using Nccid.Batch.Dicom;
using Nccid.Batch.Synthetic;

namespace Nccid.Batch.Tests.Audit.Quality;

/// <summary>Minimal conformant CR, DX, CT and MR data sets to break one attribute at a time.</summary>
internal static class QualityFixtures
{
    public const string CrClass = "1.2.840.10008.5.1.4.1.1.1";
    public const string DxClass = "1.2.840.10008.5.1.4.1.1.1.1";
    public const string CtClass = "1.2.840.10008.5.1.4.1.1.2";
    public const string MrClass = "1.2.840.10008.5.1.4.1.1.4";
    public const string SopInstanceUid = "2.25.1000";

    public static DicomTag T(uint tag) => new(tag);

    /// <summary>A conformant image of the given SOP class with 4 x 4 16-bit native pixels.</summary>
    public static DicomDataSetBuilder Image(string sopClass = CtClass, string? modality = null, bool utf8 = false)
    {
        modality ??= sopClass switch { CrClass => "CR", DxClass => "DX", MrClass => "MR", _ => "CT" };
        var ds = new DicomDataSetBuilder(utf8 ? System.Text.Encoding.UTF8 : System.Text.Encoding.Latin1)
            .AddString(T(DicomTags.SpecificCharacterSet), DicomVR.CS, utf8 ? "ISO_IR 192" : "ISO_IR 100")
            .AddString(T(DicomTags.ImageType), DicomVR.CS, "ORIGINAL\\PRIMARY\\AXIAL")
            .AddString(T(DicomTags.SOPClassUID), DicomVR.UI, sopClass)
            .AddString(T(DicomTags.SOPInstanceUID), DicomVR.UI, SopInstanceUid)
            .AddString(T(DicomTags.StudyDate), DicomVR.DA, "20200401")
            .AddString(T(DicomTags.StudyTime), DicomVR.TM, "101500.25")
            .AddString(T(DicomTags.AccessionNumber), DicomVR.SH, string.Empty)
            .AddString(T(DicomTags.Modality), DicomVR.CS, modality)
            .AddString(T(DicomTags.Manufacturer), DicomVR.LO, "ACME")
            .AddString(T(DicomTags.ReferringPhysicianName), DicomVR.PN, string.Empty)
            .AddString(T(DicomTags.PatientName), DicomVR.PN, "C000001")
            .AddString(T(DicomTags.PatientID), DicomVR.LO, "C000001")
            .AddString(T(DicomTags.PatientBirthDate), DicomVR.DA, string.Empty)
            .AddString(T(DicomTags.PatientSex), DicomVR.CS, "F")
            .AddString(T(DicomTags.PatientAge), DicomVR.AS, "054Y")
            .AddString(T(DicomTags.StudyInstanceUID), DicomVR.UI, "2.25.1")
            .AddString(T(DicomTags.SeriesInstanceUID), DicomVR.UI, "2.25.2")
            .AddString(T(DicomTags.StudyID), DicomVR.SH, "1")
            .AddIntegerString(T(DicomTags.SeriesNumber), 1)
            .AddIntegerString(T(DicomTags.InstanceNumber), 1)
            .AddUInt16(T(DicomTags.SamplesPerPixel), 1)
            .AddString(T(DicomTags.PhotometricInterpretation), DicomVR.CS, "MONOCHROME2")
            .AddUInt16(T(DicomTags.Rows), 4)
            .AddUInt16(T(DicomTags.Columns), 4)
            .AddDecimalString(T(DicomTags.PixelSpacing), 0.5, 0.5)
            .AddUInt16(T(DicomTags.BitsAllocated), 16)
            .AddUInt16(T(DicomTags.BitsStored), 12)
            .AddUInt16(T(DicomTags.HighBit), 11)
            .AddUInt16(T(DicomTags.PixelRepresentation), 0)
            .AddBytes(T(DicomTags.PixelData), DicomVR.OW, new byte[32]);
        switch (modality)
        {
            case "CR":
                ds.AddString(T(DicomTags.BodyPartExamined), DicomVR.CS, "CHEST").AddString(T(DicomTags.ViewPosition), DicomVR.CS, "PA");
                break;
            case "DX":
                ds.AddString(T(DicomTags.PresentationIntentType), DicomVR.CS, "FOR PRESENTATION")
                    .AddString(T(DicomTags.PixelIntensityRelationship), DicomVR.CS, "LOG")
                    .AddInt16(T(DicomTags.PixelIntensityRelationshipSign), 1)
                    .AddDecimalString(T(DicomTags.RescaleIntercept), 0)
                    .AddDecimalString(T(DicomTags.RescaleSlope), 1)
                    .AddString(T(DicomTags.RescaleType), DicomVR.LO, "US");
                break;
            case "CT":
                ds.AddDecimalString(T(DicomTags.KVP), 120).AddIntegerString(T(DicomTags.AcquisitionNumber), 1)
                    .AddDecimalString(T(DicomTags.RescaleIntercept), -1024).AddDecimalString(T(DicomTags.RescaleSlope), 1);
                break;
            case "MR":
                ds.AddString(T(DicomTags.ScanningSequence), DicomVR.CS, "SE").AddString(T(DicomTags.SequenceVariant), DicomVR.CS, "NONE")
                    .AddString(T(DicomTags.ScanOptions), DicomVR.CS, string.Empty).AddString(T(DicomTags.MRAcquisitionType), DicomVR.CS, "2D")
                    .AddDecimalString(T(DicomTags.EchoTime), 92).AddIntegerString(T(DicomTags.EchoTrainLength), 1);
                break;
        }

        return ds;
    }

    public static byte[] Bytes(DicomDataSetBuilder ds, SyntheticTransferSyntax syntax = SyntheticTransferSyntax.ExplicitVRLittleEndian) =>
        DicomFileWriter.ToBytes(ds, new DicomWriteOptions { TransferSyntax = syntax });

    public static IReadOnlyList<AuditFinding> Check(DicomDataSetBuilder ds, SyntheticTransferSyntax syntax = SyntheticTransferSyntax.ExplicitVRLittleEndian) =>
        QualityHarness.CheckBytes(Bytes(ds, syntax));

    public static string[] Ids(IEnumerable<AuditFinding> findings) => findings.Select(f => f.Rule.Id + " " + f.TagPath).ToArray();

    public static string[] Loud(IEnumerable<AuditFinding> findings) =>
        findings.Where(f => f.Severity >= Severity.Warning).Select(f => f.Rule.Id + " " + f.TagPath + " " + f.Detail).ToArray();
}
