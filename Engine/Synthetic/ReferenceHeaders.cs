using System.Globalization;
using Nccid.Batch.Dicom;

namespace Nccid.Batch.Synthetic;

/// <summary>
/// Full-size headers of the two images that make up most of a chest-imaging corpus, shaped the way modalities
/// write them: a computed radiograph (about 120 elements, a vendor private block and a few sequences) and a CT
/// slice (about 250 elements, nested sequences and a Siemens CSA-like private block with binary blobs).
/// The generator's images carry only what the audits need; benchmarks and allocation budgets measure against
/// these instead, so that their numbers speak for real files. Values vary with the patient and image numbers,
/// so rows built from many of them do not compress better than real ones would.
/// </summary>
public static class ReferenceHeaders
{
    /// <summary>Rows of the radiograph (a 35 × 43 cm plate at 0.14 mm, portrait).</summary>
    public const int RadiographRows = 3072;

    /// <summary>Columns of the radiograph.</summary>
    public const int RadiographColumns = 2500;

    /// <summary>Rows and columns of a CT slice.</summary>
    public const int CtMatrix = 512;

    /// <summary>Slices in one reference CT series.</summary>
    public const int CtSlicesPerSeries = 300;

    private const string Root = "1.2.826.0.1.3680043.10.1082";
    private const string CrImageStorage = "1.2.840.10008.5.1.4.1.1.1";
    private const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";

    /// <summary>
    /// The header of image <paramref name="image"/> of patient <paramref name="patient"/>'s chest radiograph, with
    /// native 16-bit Pixel Data of <see cref="RadiographRows"/> × <see cref="RadiographColumns"/> when
    /// <paramref name="withPixelData"/> is true (about 15 MB), and no Pixel Data element otherwise.
    /// </summary>
    public static DicomDataSetBuilder ChestRadiograph(int patient, int image, bool withPixelData)
    {
        var study = Uid("1", patient, 0);
        var date = StudyDate(patient);
        var time = Time(8 + (patient % 10), image * 3);
        var ds = new DicomDataSetBuilder();
        Text(ds, DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 100");
        Text(ds, DicomTags.ImageType, DicomVR.CS, "ORIGINAL\\PRIMARY\\\\RT");
        Text(ds, DicomTags.SOPClassUID, DicomVR.UI, CrImageStorage);
        Text(ds, DicomTags.SOPInstanceUID, DicomVR.UI, Uid("3", patient, image));
        Text(ds, DicomTags.StudyDate, DicomVR.DA, date);
        Text(ds, DicomTags.SeriesDate, DicomVR.DA, date);
        Text(ds, DicomTags.AcquisitionDate, DicomVR.DA, date);
        Text(ds, DicomTags.ContentDate, DicomVR.DA, date);
        Text(ds, DicomTags.StudyTime, DicomVR.TM, time);
        Text(ds, DicomTags.ContentTime, DicomVR.TM, time);
        Text(ds, DicomTags.AccessionNumber, DicomVR.SH, Number("RX", patient));
        Text(ds, DicomTags.Modality, DicomVR.CS, "CR");
        Text(ds, DicomTags.Manufacturer, DicomVR.LO, "FUJIFILM Corporation");
        Text(ds, DicomTags.InstitutionName, DicomVR.LO, "Royal Infirmary");
        Text(ds, DicomTags.InstitutionAddress, DicomVR.ST, "Infirmary Square, Leicester");
        Text(ds, DicomTags.ReferringPhysicianName, DicomVR.PN, string.Empty);
        Text(ds, DicomTags.StationName, DicomVR.SH, "FCR-RAD2");
        Text(ds, DicomTags.StudyDescription, DicomVR.LO, "XR Chest");
        ds.AddSequence(new DicomTag(DicomTags.ProcedureCodeSequence), [Code(ds, "XCHES", "NICIP", "XR Chest")]);
        Text(ds, DicomTags.SeriesDescription, DicomVR.LO, image % 2 == 0 ? "Chest PA" : "Chest LAT");
        Text(ds, DicomTags.InstitutionalDepartmentName, DicomVR.LO, "Radiology");
        Text(ds, DicomTags.OperatorsName, DicomVR.PN, string.Empty);
        Text(ds, DicomTags.ManufacturerModelName, DicomVR.LO, "FCR PROFECT CS");
        Text(ds, DicomTags.DerivationDescription, DicomVR.ST, "GA 0.9 GT E GC 0.3 RE 0.5 RT R RN 4 DRN 0 ORN 0");
        Patient(ds, patient, deidentificationCodes: false);
        Text(ds, DicomTags.BodyPartExamined, DicomVR.CS, "CHEST");
        Decimal(ds, DicomTags.KVP, 125);
        Text(ds, DicomTags.DeviceSerialNumber, DicomVR.LO, "62114551");
        Text(ds, DicomTags.SoftwareVersions, DicomVR.LO, "A07-09\\V4.0.0013");
        Decimal(ds, DicomTags.DistanceSourceToDetector, 1800);
        Integer(ds, DicomTags.ExposureTime, 12);
        Integer(ds, DicomTags.XRayTubeCurrent, 320);
        Integer(ds, DicomTags.Exposure, 4);
        Integer(ds, DicomTags.ExposureInuAs, 4000);
        Decimal(ds, DicomTags.ImagerPixelSpacing, 0.15, 0.15);
        Text(ds, DicomTags.Grid, DicomVR.CS, "FOCUSED\\RECIPROCATING");
        Decimal(ds, DicomTags.FocalSpots, 1.2);
        Text(ds, DicomTags.PlateType, DicomVR.SH, "ST-VN");
        Text(ds, DicomTags.PhosphorType, DicomVR.LO, "BaFBr:Eu");
        Text(ds, DicomTags.ViewPosition, DicomVR.CS, image % 2 == 0 ? "PA" : "LL");
        Decimal(ds, DicomTags.Sensitivity, 200);
        Integer(ds, DicomTags.ExposuresOnPlate, 1);
        Text(ds, DicomTags.CassetteOrientation, DicomVR.CS, "PORTRAIT");
        Text(ds, DicomTags.CassetteSize, DicomVR.CS, "35CMX43CM");
        Text(ds, DicomTags.AcquisitionDeviceProcessingDescription, DicomVR.LO, "CHEST P->A");
        Text(ds, DicomTags.AcquisitionDeviceProcessingCode, DicomVR.LO, "1010");
        Decimal(ds, DicomTags.RelativeXRayExposure, 310);
        Decimal(ds, DicomTags.ExposureIndex, 284.5);
        Decimal(ds, DicomTags.TargetExposureIndex, 250);
        Decimal(ds, DicomTags.DeviationIndex, 0.56);
        Series(ds, study, Uid("2", patient, 1), patient, 1, image + 1);
        Text(ds, DicomTags.PatientOrientation, DicomVR.CS, image % 2 == 0 ? "A\\F" : "P\\F");
        Integer(ds, DicomTags.ImagesInAcquisition, 1);
        Text(ds, DicomTags.ImageLaterality, DicomVR.CS, "U");
        Image(ds, RadiographRows, RadiographColumns, 10, "MONOCHROME1");
        Decimal(ds, DicomTags.PixelSpacing, 0.15, 0.15);
        Text(ds, DicomTags.BurnedInAnnotation, DicomVR.CS, "NO");
        Decimal(ds, DicomTags.WindowCenter, 512);
        Decimal(ds, DicomTags.WindowWidth, 1024);
        Decimal(ds, DicomTags.RescaleIntercept, 0);
        Decimal(ds, DicomTags.RescaleSlope, 1);
        Text(ds, DicomTags.RescaleType, DicomVR.LO, "US");
        Text(ds, DicomTags.LossyImageCompression, DicomVR.CS, "00");
        Text(ds, DicomTags.PixelIntensityRelationship, DicomVR.CS, "LOG");
        ds.AddUInt16(new DicomTag(DicomTags.PixelIntensityRelationshipSign), 1);
        Request(ds, patient, "XR Chest");
        Text(ds, DicomTags.PresentationLUTShape, DicomVR.CS, "INVERSE");
        ds.AddSequence(new DicomTag(DicomTags.ViewCodeSequence),
        [
            Code(ds, image % 2 == 0 ? "R-10214" : "R-10232", "SRT", image % 2 == 0 ? "postero-anterior" : "lateral")
                .AddSequence(new DicomTag(DicomTags.ViewModifierCodeSequence), []),
        ]);

        // Fujifilm's FDMS block: short strings, counters and a binary processing-parameter blob.
        ds.AddPrivateBlock(0x0009, 0x10, "FDMS 1.0")
            .AddString(0x04, DicomVR.SH, "FCR")
            .AddBytes(0x05, DicomVR.OW, Blob(patient, 32))
            .AddUInt32(0x06, 400)
            .AddString(0x08, DicomVR.CS, "PORTRAIT")
            .AddUInt16(0x0C, 1)
            .AddBytes(0x10, DicomVR.OB, Blob(patient + 7, 320))
            .AddString(0x80, DicomVR.LO, "FCR PROFECT CS");
        if (withPixelData) ds.AddBytes(new DicomTag(DicomTags.PixelData), DicomVR.OW, new byte[RadiographRows * RadiographColumns * 2]);
        return ds;
    }

    /// <summary>
    /// The header of slice <paramref name="slice"/> of patient <paramref name="patient"/>'s chest CT series
    /// (<see cref="CtSlicesPerSeries"/> slices, 1 mm apart), with native 16-bit Pixel Data of
    /// <see cref="CtMatrix"/> squared (512 KiB) when <paramref name="withPixelData"/> is true.
    /// </summary>
    public static DicomDataSetBuilder ChestCtSlice(int patient, int slice, bool withPixelData)
    {
        var study = Uid("1", patient, 0);
        var series = Uid("2", patient, 2);
        var date = StudyDate(patient);
        var time = Time(9 + (patient % 9), slice / 20);
        var z = -40.0 - slice;
        var ds = new DicomDataSetBuilder();
        Text(ds, DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 100");
        Text(ds, DicomTags.ImageType, DicomVR.CS, "ORIGINAL\\PRIMARY\\AXIAL\\CT_SOM5 SPI");
        Text(ds, DicomTags.InstanceCreationDate, DicomVR.DA, date);
        Text(ds, DicomTags.InstanceCreationTime, DicomVR.TM, time);
        Text(ds, DicomTags.SOPClassUID, DicomVR.UI, CtImageStorage);
        Text(ds, DicomTags.SOPInstanceUID, DicomVR.UI, Uid("3", patient, 1000 + slice));
        Text(ds, DicomTags.StudyDate, DicomVR.DA, date);
        Text(ds, DicomTags.SeriesDate, DicomVR.DA, date);
        Text(ds, DicomTags.AcquisitionDate, DicomVR.DA, date);
        Text(ds, DicomTags.ContentDate, DicomVR.DA, date);
        Text(ds, DicomTags.AcquisitionDateTime, DicomVR.DT, date + time);
        Text(ds, DicomTags.StudyTime, DicomVR.TM, time);
        Text(ds, DicomTags.SeriesTime, DicomVR.TM, time);
        Text(ds, DicomTags.AcquisitionTime, DicomVR.TM, time);
        Text(ds, DicomTags.ContentTime, DicomVR.TM, time);
        Text(ds, DicomTags.AccessionNumber, DicomVR.SH, Number("CT", patient));
        Text(ds, DicomTags.TimezoneOffsetFromUTC, DicomVR.SH, "+0000");
        Text(ds, DicomTags.Modality, DicomVR.CS, "CT");
        Text(ds, DicomTags.Manufacturer, DicomVR.LO, "SIEMENS");
        Text(ds, DicomTags.InstitutionName, DicomVR.LO, "Royal Infirmary");
        Text(ds, DicomTags.InstitutionAddress, DicomVR.ST, "Infirmary Square, Leicester");
        Text(ds, DicomTags.ReferringPhysicianName, DicomVR.PN, string.Empty);
        Text(ds, DicomTags.StationName, DicomVR.SH, "CTAWP73412");
        Text(ds, DicomTags.StudyDescription, DicomVR.LO, "CT Thorax with contrast");
        ds.AddSequence(new DicomTag(DicomTags.ProcedureCodeSequence), [Code(ds, "CCHEC", "NICIP", "CT Thorax with contrast")]);
        Text(ds, DicomTags.SeriesDescription, DicomVR.LO, "Thorax 1.0 Br59 3");
        Text(ds, DicomTags.InstitutionalDepartmentName, DicomVR.LO, "Radiology");
        Text(ds, DicomTags.PerformingPhysicianName, DicomVR.PN, string.Empty);
        Text(ds, DicomTags.OperatorsName, DicomVR.PN, string.Empty);
        Text(ds, DicomTags.ManufacturerModelName, DicomVR.LO, "SOMATOM Definition Edge");
        ds.AddSequence(new DicomTag(DicomTags.ReferencedStudySequence), [Reference(ds, "1.2.840.10008.3.1.2.3.1", study)]);
        ds.AddSequence(new DicomTag(DicomTags.ReferencedImageSequence),
        [
            Reference(ds, CtImageStorage, Uid("3", patient, 1)),
            Reference(ds, CtImageStorage, Uid("3", patient, 2)),
            Reference(ds, CtImageStorage, Uid("3", patient, 3)),
        ]);
        ds.AddSequence(new DicomTag(DicomTags.SourceImageSequence), [Reference(ds, "1.3.12.2.1107.5.9.1", Uid("5", patient, slice))]);
        Text(ds, DicomTags.DerivationDescription, DicomVR.ST, string.Empty);
        Patient(ds, patient, deidentificationCodes: true);
        Text(ds, DicomTags.ContrastBolusAgent, DicomVR.LO, "Omnipaque 350");
        Text(ds, DicomTags.ContrastBolusRoute, DicomVR.LO, "IV");
        Decimal(ds, DicomTags.ContrastBolusVolume, 80);
        Text(ds, DicomTags.BodyPartExamined, DicomVR.CS, "CHEST");
        Text(ds, DicomTags.ScanOptions, DicomVR.CS, "HELICAL_CT");
        Decimal(ds, DicomTags.SliceThickness, 1);
        Decimal(ds, DicomTags.KVP, 100);
        Decimal(ds, DicomTags.DataCollectionDiameter, 500);
        Text(ds, DicomTags.DeviceSerialNumber, DicomVR.LO, "83014");
        Text(ds, DicomTags.SoftwareVersions, DicomVR.LO, "syngo CT VB10A");
        Text(ds, DicomTags.ProtocolName, DicomVR.LO, "Thorax_Routine");
        Decimal(ds, DicomTags.ReconstructionDiameter, 352);
        Decimal(ds, DicomTags.DistanceSourceToDetector, 1085.6);
        Decimal(ds, DicomTags.DistanceSourceToPatient, 595);
        Decimal(ds, DicomTags.GantryDetectorTilt, 0);
        Decimal(ds, DicomTags.TableHeight, 162);
        Text(ds, DicomTags.RotationDirection, DicomVR.CS, "CW");
        Integer(ds, DicomTags.ExposureTime, 500);
        Integer(ds, DicomTags.XRayTubeCurrent, 112 + (slice % 40));
        Integer(ds, DicomTags.Exposure, 56 + (slice % 20));
        Text(ds, DicomTags.FilterType, DicomVR.SH, "FLAT");
        Integer(ds, DicomTags.GeneratorPower, 11);
        Decimal(ds, DicomTags.FocalSpots, 1.2);
        Text(ds, DicomTags.ConvolutionKernel, DicomVR.SH, "Br59\\3");
        Text(ds, DicomTags.PatientPosition, DicomVR.CS, "FFS");
        Decimal(ds, DicomTags.RevolutionTime, 0.5);
        ds.AddFloat64(new DicomTag(DicomTags.SingleCollimationWidth), 0.6);
        ds.AddFloat64(new DicomTag(DicomTags.TotalCollimationWidth), 38.4);
        ds.AddFloat64(new DicomTag(DicomTags.TableSpeed), 92.2);
        ds.AddFloat64(new DicomTag(DicomTags.TableFeedPerRotation), 46.1);
        ds.AddFloat64(new DicomTag(DicomTags.SpiralPitchFactor), 1.2);
        ds.AddFloat64(new DicomTag(DicomTags.DataCollectionCenterPatient), -0.5, -162, z);
        ds.AddFloat64(new DicomTag(DicomTags.ReconstructionTargetCenterPatient), 0, -162, z);
        ds.AddFloat64(new DicomTag(DicomTags.CTDIvol), 4.83 + (slice % 7 * 0.01));
        ds.AddFloat64(new DicomTag(DicomTags.ReconstructionFieldOfView), 352, 352);
        ds.AddFloat64(new DicomTag(DicomTags.DistanceSourceToDataCollectionCenter), 595);
        ds.AddSequence(new DicomTag(DicomTags.CTDIPhantomTypeCodeSequence), [Code(ds, "113691", "DCM", "IEC Body Dosimetry Phantom")]);
        Text(ds, DicomTags.ExposureModulationType, DicomVR.CS, "XYZ_EC");
        Series(ds, study, series, patient, 3, slice + 1);
        Decimal(ds, DicomTags.ImagePositionPatient, -175.6, -338.3, z);
        Decimal(ds, DicomTags.ImageOrientationPatient, 1, 0, 0, 0, 1, 0);
        Text(ds, DicomTags.FrameOfReferenceUID, DicomVR.UI, Uid("6", patient, 0));
        Text(ds, DicomTags.PositionReferenceIndicator, DicomVR.LO, string.Empty);
        Decimal(ds, DicomTags.SliceLocation, z);
        Text(ds, DicomTags.ImageComments, DicomVR.LT, "Tube current modulated; CARE Dose4D");
        Image(ds, CtMatrix, CtMatrix, 12, "MONOCHROME2");
        Decimal(ds, DicomTags.PixelSpacing, 0.6875, 0.6875);
        Text(ds, DicomTags.BurnedInAnnotation, DicomVR.CS, "NO");
        ds.AddInt16(new DicomTag(DicomTags.SmallestImagePixelValue), 0);
        ds.AddInt16(new DicomTag(DicomTags.LargestImagePixelValue), (short)(3000 + (slice % 900)));
        Decimal(ds, DicomTags.WindowCenter, -600, 40);
        Decimal(ds, DicomTags.WindowWidth, 1200, 400);
        Decimal(ds, DicomTags.RescaleIntercept, -1024);
        Decimal(ds, DicomTags.RescaleSlope, 1);
        Text(ds, DicomTags.RescaleType, DicomVR.LO, "HU");
        Text(ds, DicomTags.WindowCenterWidthExplanation, DicomVR.LO, "WINDOW1\\WINDOW2");
        Text(ds, DicomTags.LossyImageCompression, DicomVR.CS, "00");
        Text(ds, DicomTags.PerformedProcedureStepStartDate, DicomVR.DA, date);
        Text(ds, DicomTags.PerformedProcedureStepStartTime, DicomVR.TM, time);
        Text(ds, DicomTags.PerformedProcedureStepID, DicomVR.SH, Number("PS", patient));
        Text(ds, DicomTags.PerformedProcedureStepDescription, DicomVR.LO, "CT Thorax with contrast");
        ds.AddSequence(new DicomTag(DicomTags.PerformedProtocolCodeSequence),
        [
            Code(ds, "CTTHORAX", "99SIEMENS", "Thorax_Routine")
                .AddString(new DicomTag(DicomTags.CodingSchemeVersion), DicomVR.SH, "1.0")
                .AddString(new DicomTag(DicomTags.ContextGroupExtensionFlag), DicomVR.CS, "N"),
        ]);
        Request(ds, patient, "CT Thorax with contrast");
        ds.AddSequence(new DicomTag(DicomTags.AcquisitionContextSequence), []);
        Text(ds, DicomTags.IrradiationEventUID, DicomVR.UI, Uid("7", patient, 0));
        CsaBlocks(ds, patient, slice);
        if (withPixelData) ds.AddBytes(new DicomTag(DicomTags.PixelData), DicomVR.OW, new byte[CtMatrix * CtMatrix * 2]);
        return ds;
    }

    /// <summary>
    /// Siemens CT private groups: the scanner's own acquisition parameters (0019), the series-wide block (0021)
    /// and the CSA headers (0029), whose image and series blobs are what make CT headers long.
    /// </summary>
    private static void CsaBlocks(DicomDataSetBuilder ds, int patient, int slice)
    {
        var coad = ds.AddPrivateBlock(0x0019, 0x10, "SIEMENS CT VA0  COAD");
        coad.AddString(0x10, DicomVR.DS, "0.5")
            .AddString(0x11, DicomVR.DS, "1")
            .AddString(0x13, DicomVR.DS, "100")
            .AddString(0x14, DicomVR.DS, "500")
            .AddString(0x15, DicomVR.DS, "0")
            .AddString(0x19, DicomVR.DS, "38.4")
            .AddString(0x1A, DicomVR.DS, "0.6")
            .AddString(0x1B, DicomVR.DS, "0")
            .AddString(0x20, DicomVR.CS, "DOM")
            .AddString(0x21, DicomVR.DS, "1.2")
            .AddString(0x22, DicomVR.DS, "46.08")
            .AddString(0x23, DicomVR.DS, "92.16")
            .AddString(0x24, DicomVR.DS, "1")
            .AddString(0x25, DicomVR.DS, "0")
            .AddString(0x26, DicomVR.DS, "1024")
            .AddString(0x27, DicomVR.DS, "-1024")
            .AddString(0x30, DicomVR.CS, "WATER")
            .AddString(0x40, DicomVR.CS, "STANDARD")
            .AddString(0x41, DicomVR.DS, "127.3\\-43.2")
            .AddUInt16(0x42, 1)
            .AddUInt16(0x43, 2)
            .AddString(0x50, DicomVR.SH, "Br59d\\3")
            .AddString(0x60, DicomVR.LO, "NONE")
            .AddString(0x61, DicomVR.DS, "1.2")
            .AddString(0x62, DicomVR.DS, "4.83")
            .AddString(0x63, DicomVR.LO, "CARE Dose4D")
            .AddFloat64(0x70, 0.0, 1.0, 0.0)
            .AddUInt32(0x71, (uint)(slice + 1));

        ds.AddPrivateBlock(0x0021, 0x10, "SIEMENS MED")
            .AddString(0x01, DicomVR.LO, "syngo CT VB10A")
            .AddString(0x04, DicomVR.DS, "0")
            .AddString(0x05, DicomVR.CS, "HEAD_FIRST")
            .AddString(0x11, DicomVR.DS, "0")
            .AddString(0x12, DicomVR.DS, "0")
            .AddString(0x13, DicomVR.DS, "0")
            .AddString(0x14, DicomVR.LO, "Thorax")
            .AddString(0x16, DicomVR.LO, "CT_SOM5 SPI")
            .AddString(0x20, DicomVR.SH, "Br59")
            .AddString(0x30, DicomVR.LO, "CARE kV")
            .AddString(0x31, DicomVR.LO, "SAFIRE 3")
            .AddUInt16(0x33, 3)
            .AddString(0x40, DicomVR.DS, "0.7")
            .AddString(0x41, DicomVR.DS, "1.1")
            .AddString(0x42, DicomVR.CS, "ABDOMEN")
            .AddString(0x43, DicomVR.LO, "Tube A")
            .AddUInt32(0x44, 1)
            .AddString(0x45, DicomVR.DS, "0.6")
            .AddString(0x46, DicomVR.SH, "1.0")
            .AddFloat64(0x47, 120.0, 100.0);

        ds.AddPrivateBlock(0x0029, 0x10, "SIEMENS CSA HEADER")
            .AddString(0x08, DicomVR.CS, "IMAGE NUM 4")
            .AddString(0x09, DicomVR.LO, "20180912")
            .AddBytes(0x10, DicomVR.OB, Blob(patient + slice, 2048))
            .AddString(0x18, DicomVR.CS, "CT")
            .AddString(0x19, DicomVR.LO, "20180912")
            .AddBytes(0x20, DicomVR.OB, Blob(patient, 6144));
        ds.AddPrivateBlock(0x0029, 0x11, "SIEMENS MEDCOM HEADER2")
            .AddString(0x60, DicomVR.LO, "com")
            .AddString(0x61, DicomVR.LO, "SIEMENS");
        ds.AddPrivateBlock(0x0029, 0x12, "SIEMENS MEDCOM OOG")
            .AddBytes(0x08, DicomVR.OB, Blob(slice, 512))
            .AddString(0x09, DicomVR.LO, "VA0");
    }

    private static void Patient(DicomDataSetBuilder ds, int patient, bool deidentificationCodes)
    {
        var pseudonym = Number("C", patient);
        Text(ds, DicomTags.PatientName, DicomVR.PN, pseudonym);
        Text(ds, DicomTags.PatientID, DicomVR.LO, pseudonym);
        Text(ds, DicomTags.IssuerOfPatientID, DicomVR.LO, "NCCID");
        Text(ds, DicomTags.PatientBirthDate, DicomVR.DA, string.Empty);
        Text(ds, DicomTags.PatientSex, DicomVR.CS, patient % 2 == 0 ? "F" : "M");
        Text(ds, DicomTags.PatientAge, DicomVR.AS, string.Create(CultureInfo.InvariantCulture, $"{35 + (patient % 55):D3}Y"));
        Decimal(ds, DicomTags.PatientSize, 1.55 + (patient % 40 * 0.01));
        Decimal(ds, DicomTags.PatientWeight, 55 + (patient % 50));
        Text(ds, DicomTags.PatientIdentityRemoved, DicomVR.CS, "YES");
        Text(ds, DicomTags.DeidentificationMethod, DicomVR.LO, "NCCID pseudonymisation (PS3.15 Basic Profile)");
        Text(ds, DicomTags.LongitudinalTemporalInformationModified, DicomVR.CS, "MODIFIED");
        if (!deidentificationCodes) return;
        ds.AddSequence(new DicomTag(DicomTags.DeidentificationMethodCodeSequence),
        [
            Code(ds, "113100", "DCM", "Basic Application Confidentiality Profile"),
            Code(ds, "113105", "DCM", "Clean Descriptors Option"),
            Code(ds, "113107", "DCM", "Retain Longitudinal Temporal Information Modified Dates Option"),
            Code(ds, "113108", "DCM", "Retain Patient Characteristics Option"),
        ]);
    }

    private static void Series(DicomDataSetBuilder ds, string study, string series, int patient, int seriesNumber, int instanceNumber)
    {
        Text(ds, DicomTags.StudyInstanceUID, DicomVR.UI, study);
        Text(ds, DicomTags.SeriesInstanceUID, DicomVR.UI, series);
        Text(ds, DicomTags.StudyID, DicomVR.SH, (patient % 100_000).ToString(CultureInfo.InvariantCulture));
        Integer(ds, DicomTags.SeriesNumber, seriesNumber);
        Integer(ds, DicomTags.AcquisitionNumber, 1);
        Integer(ds, DicomTags.InstanceNumber, instanceNumber);
    }

    private static void Image(DicomDataSetBuilder ds, int rows, int columns, int bitsStored, string photometric)
    {
        ds.AddUInt16(new DicomTag(DicomTags.SamplesPerPixel), 1);
        Text(ds, DicomTags.PhotometricInterpretation, DicomVR.CS, photometric);
        ds.AddUInt16(new DicomTag(DicomTags.Rows), (ushort)rows);
        ds.AddUInt16(new DicomTag(DicomTags.Columns), (ushort)columns);
        ds.AddUInt16(new DicomTag(DicomTags.BitsAllocated), 16);
        ds.AddUInt16(new DicomTag(DicomTags.BitsStored), (ushort)bitsStored);
        ds.AddUInt16(new DicomTag(DicomTags.HighBit), (ushort)(bitsStored - 1));
        ds.AddUInt16(new DicomTag(DicomTags.PixelRepresentation), 0);
    }

    private static void Request(DicomDataSetBuilder ds, int patient, string description)
    {
        var request = ds.CreateItem();
        Text(request, DicomTags.AccessionNumber, DicomVR.SH, Number("RQ", patient));
        Text(request, DicomTags.RequestedProcedureDescription, DicomVR.LO, description);
        request.AddSequence(new DicomTag(DicomTags.RequestedProcedureCodeSequence), [Code(ds, "CHEST", "LOCAL", description)]);
        Text(request, DicomTags.ScheduledProcedureStepID, DicomVR.SH, Number("SP", patient));
        Text(request, DicomTags.RequestedProcedureID, DicomVR.SH, Number("RP", patient));
        ds.AddSequence(new DicomTag(DicomTags.RequestAttributesSequence), [request]);
    }

    private static DicomDataSetBuilder Code(DicomDataSetBuilder ds, string value, string scheme, string meaning) => ds.CreateItem()
        .AddString(new DicomTag(DicomTags.CodeValue), DicomVR.SH, value)
        .AddString(new DicomTag(DicomTags.CodingSchemeDesignator), DicomVR.SH, scheme)
        .AddString(new DicomTag(DicomTags.CodeMeaning), DicomVR.LO, meaning);

    private static DicomDataSetBuilder Reference(DicomDataSetBuilder ds, string sopClass, string sopInstance) => ds.CreateItem()
        .AddString(new DicomTag(DicomTags.ReferencedSOPClassUID), DicomVR.UI, sopClass)
        .AddString(new DicomTag(DicomTags.ReferencedSOPInstanceUID), DicomVR.UI, sopInstance);

    private static void Text(DicomDataSetBuilder ds, uint tag, DicomVR vr, string value) => ds.AddString(new DicomTag(tag), vr, value);

    private static void Decimal(DicomDataSetBuilder ds, uint tag, params ReadOnlySpan<double> values) => ds.AddDecimalString(new DicomTag(tag), values);

    private static void Integer(DicomDataSetBuilder ds, uint tag, int value) => ds.AddIntegerString(new DicomTag(tag), value);

    private static string Uid(string kind, int patient, int n) => string.Create(CultureInfo.InvariantCulture, $"{Root}.{kind}.{patient}.{n}");

    private static string Number(string prefix, int patient) => string.Create(CultureInfo.InvariantCulture, $"{prefix}{patient:D6}");

    private static string StudyDate(int patient) =>
        new DateOnly(2020, 3, 1).AddDays(patient % 700).ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static string Time(int hour, int seconds) =>
        string.Create(CultureInfo.InvariantCulture, $"{hour:D2}{seconds / 60 % 60:D2}{seconds % 60:D2}.{seconds * 7919 % 1_000_000:D6}");

    /// <summary>Deterministic bytes that look like a vendor's binary parameters (not all zeros, not compressible to nothing).</summary>
    private static byte[] Blob(int seed, int length)
    {
        var bytes = new byte[length];
        "SV10"u8.CopyTo(bytes);
        var state = (uint)seed * 2654435761u + 1;
        for (var i = 4; i < length; i++)
        {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            // Mostly small numbers and ASCII, as CSA headers are: names, counts and decimal text.
            bytes[i] = (i & 3) == 0 ? (byte)('0' + (state % 10)) : (byte)(state & 0x3F);
        }

        return bytes;
    }
}
