using System.Globalization;
using Nccid.Batch.Dicom;

namespace Nccid.Batch.Synthetic;

/// <summary>Builds the de-identified data set of one instance of a planned series.</summary>
internal static class SyntheticImageFactory
{
    public const string CrImageStorage = "1.2.840.10008.5.1.4.1.1.1";
    public const string DxForPresentation = "1.2.840.10008.5.1.4.1.1.1.1";
    public const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";
    public const string MrImageStorage = "1.2.840.10008.5.1.4.1.1.4";

    /// <summary>Builds instance <paramref name="instance"/> (0-based); returns the data set and the private free-text tag.</summary>
    public static (DicomDataSetBuilder DataSet, DicomTag PrivateCommentTag) Build(
        PatientFacts patient, SeriesPlan series, int instance, string sopInstanceUid, SyntheticRandom rng, PixelSynthesizer pixels)
    {
        var centre = patient.Centre;
        var ds = new DicomDataSetBuilder(centre.TextEncoding);
        var date = series.StudyDate.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        ds.AddString(SyntheticTags.SpecificCharacterSet, DicomVR.CS, centre.CharacterSet)
            .AddString(SyntheticTags.ImageType, DicomVR.CS, series.Kind == SyntheticImagingKind.Xray ? "ORIGINAL\\PRIMARY" : "ORIGINAL\\PRIMARY\\AXIAL")
            .AddString(SyntheticTags.SopClassUid, DicomVR.UI, series.SopClassUid)
            .AddString(SyntheticTags.SopInstanceUid, DicomVR.UI, sopInstanceUid)
            .AddString(SyntheticTags.StudyDate, DicomVR.DA, date)
            .AddString(SyntheticTags.SeriesDate, DicomVR.DA, date)
            .AddString(SyntheticTags.ContentDate, DicomVR.DA, date)
            .AddString(SyntheticTags.StudyTime, DicomVR.TM, series.StudyTime)
            .AddString(SyntheticTags.ContentTime, DicomVR.TM, series.StudyTime)
            // Accession Number and Study ID are local RIS numbers: the Basic Profile empties them (Z), as the NCCID asked.
            .AddString(SyntheticTags.AccessionNumber, DicomVR.SH, string.Empty)
            .AddString(SyntheticTags.Modality, DicomVR.CS, series.Modality)
            .AddString(SyntheticTags.Manufacturer, DicomVR.LO, series.Vendor.Manufacturer)
            .AddString(SyntheticTags.ReferringPhysicianName, DicomVR.PN, string.Empty)
            .AddString(SyntheticTags.StudyDescription, DicomVR.LO, series.StudyDescription)
            .AddString(SyntheticTags.SeriesDescription, DicomVR.LO, series.SeriesDescription)
            .AddString(SyntheticTags.ManufacturerModelName, DicomVR.LO, series.Model)
            .AddString(SyntheticTags.PatientName, DicomVR.PN, patient.Pseudonym)
            .AddString(SyntheticTags.PatientId, DicomVR.LO, patient.Pseudonym)
            .AddString(SyntheticTags.PatientSex, DicomVR.CS, patient.Sex == 'U' ? "O" : patient.Sex.ToString())
            .AddString(SyntheticTags.PatientAge, DicomVR.AS, patient.Age.ToString("D3", CultureInfo.InvariantCulture) + "Y")
            .AddString(SyntheticTags.PatientIdentityRemoved, DicomVR.CS, "YES")
            .AddString(SyntheticTags.DeidentificationMethod, DicomVR.LO, "NCCID pseudonymisation (PS3.15 Basic Profile)")
            .AddString(SyntheticTags.BodyPartExamined, DicomVR.CS, "CHEST")
            .AddString(SyntheticTags.StudyInstanceUid, DicomVR.UI, series.StudyUid)
            .AddString(SyntheticTags.SeriesInstanceUid, DicomVR.UI, series.SeriesUid)
            .AddString(SyntheticTags.StudyId, DicomVR.SH, string.Empty)
            .AddIntegerString(SyntheticTags.SeriesNumber, series.SeriesNumber)
            .AddIntegerString(SyntheticTags.InstanceNumber, instance + 1)
            .AddUInt16(SyntheticTags.SamplesPerPixel, 1)
            .AddString(SyntheticTags.PhotometricInterpretation, DicomVR.CS, series.Monochrome1 ? "MONOCHROME1" : "MONOCHROME2")
            .AddUInt16(SyntheticTags.Rows, (ushort)series.Rows)
            .AddUInt16(SyntheticTags.Columns, (ushort)series.Columns)
            .AddDecimalString(SyntheticTags.PixelSpacing, series.PixelSpacing, series.PixelSpacing)
            .AddUInt16(SyntheticTags.BitsAllocated, (ushort)series.BitsAllocated)
            .AddUInt16(SyntheticTags.BitsStored, (ushort)series.EffectiveBitsStored)
            .AddUInt16(SyntheticTags.HighBit, (ushort)(series.EffectiveBitsStored - 1))
            .AddUInt16(SyntheticTags.PixelRepresentation, 0);

        // Type 2 (PS3.3 C.7.1.1): present, and empty as the Basic Profile leaves it (PS3.15 Table E.1-1, "Z").
        ds.AddString(SyntheticTags.PatientBirthDate, DicomVR.DA, string.Empty);

        if (series.Kind == SyntheticImagingKind.Xray)
        {
            AddRadiographAttributes(ds, series);
        }
        else
        {
            AddCrossSectionAttributes(ds, series, instance);
        }

        AddProcedureCode(ds, series);
        var commentTag = VendorPrivateBlocks.Add(ds, series);
        AddPixelData(ds, series, rng, pixels);
        return (ds, commentTag);
    }

    private static void AddRadiographAttributes(DicomDataSetBuilder ds, SeriesPlan series)
    {
        var maximum = (1 << series.EffectiveBitsStored) - 1;
        ds.AddString(SyntheticTags.ViewPosition, DicomVR.CS, series.ViewPosition)
            .AddString(SyntheticTags.PatientOrientation, DicomVR.CS, series.ViewPosition == "PA" ? "L\\F" : "R\\F")
            .AddDecimalString(SyntheticTags.Kvp, series.ViewPosition == "PA" ? 125 : 90)
            .AddDecimalString(SyntheticTags.ImagerPixelSpacing, series.PixelSpacing, series.PixelSpacing)
            .AddDecimalString(SyntheticTags.WindowCenter, maximum / 2)
            .AddDecimalString(SyntheticTags.WindowWidth, maximum);
        if (series.SopClassUid == DxForPresentation)
        {
            // The Type 1 attributes of the DX Series and DX Image modules (PS3.3 C.8.11.1, C.8.11.3).
            ds.AddString(SyntheticTags.PresentationIntentType, DicomVR.CS, "FOR PRESENTATION")
                .AddString(SyntheticTags.PixelIntensityRelationship, DicomVR.CS, "LOG")
                .AddInt16(SyntheticTags.PixelIntensityRelationshipSign, 1)
                .AddDecimalString(SyntheticTags.RescaleIntercept, 0)
                .AddDecimalString(SyntheticTags.RescaleSlope, 1)
                .AddString(SyntheticTags.RescaleType, DicomVR.LO, "US");
        }

        var view = ds.CreateItem()
            .AddString(SyntheticTags.CodeValue, DicomVR.SH, series.ViewPosition == "PA" ? "R-44D4B" : "R-44D4A")
            .AddString(SyntheticTags.CodingSchemeDesignator, DicomVR.SH, "SRT")
            .AddString(SyntheticTags.CodeMeaning, DicomVR.LO, series.ViewPosition == "PA" ? "postero-anterior" : "antero-posterior")
            .AddSequence(SyntheticTags.ViewModifierCodeSequence, [], series.UndefinedLengthSequences);
        ds.AddSequence(SyntheticTags.ViewCodeSequence, [view], series.UndefinedLengthSequences, series.UndefinedLengthSequences);
    }

    private static void AddCrossSectionAttributes(DicomDataSetBuilder ds, SeriesPlan series, int instance)
    {
        var z = series.OriginZ + (instance * series.SliceThickness);
        ds.AddDecimalString(SyntheticTags.SliceThickness, series.SliceThickness)
            .AddDecimalString(SyntheticTags.SpacingBetweenSlices, series.SliceThickness)
            .AddString(SyntheticTags.PatientPosition, DicomVR.CS, "HFS")
            .AddDecimalString(SyntheticTags.ImagePositionPatient, series.OriginX, series.OriginY, z)
            .AddDecimalString(SyntheticTags.ImageOrientationPatient, 1, 0, 0, 0, 1, 0)
            .AddString(SyntheticTags.FrameOfReferenceUid, DicomVR.UI, series.FrameOfReferenceUid)
            .AddDecimalString(SyntheticTags.SliceLocation, z);
        if (series.Kind == SyntheticImagingKind.Ct)
        {
            ds.AddDecimalString(SyntheticTags.Kvp, 120)
                .AddIntegerString(SyntheticTags.AcquisitionNumber, 1)
                .AddString(SyntheticTags.ConvolutionKernel, DicomVR.SH, "LUNG")
                .AddDecimalString(SyntheticTags.RescaleIntercept, -1024)
                .AddDecimalString(SyntheticTags.RescaleSlope, 1)
                .AddDecimalString(SyntheticTags.WindowCenter, -600)
                .AddDecimalString(SyntheticTags.WindowWidth, 1500);
        }
        else
        {
            // The Type 1 and 2 attributes of the MR Image module (PS3.3 C.8.3.1); ScanOptions may be empty.
            ds.AddString(SyntheticTags.ScanningSequence, DicomVR.CS, "SE")
                .AddString(SyntheticTags.SequenceVariant, DicomVR.CS, "SK")
                .AddString(SyntheticTags.ScanOptions, DicomVR.CS, string.Empty)
                .AddString(SyntheticTags.MrAcquisitionType, DicomVR.CS, "2D")
                .AddIntegerString(SyntheticTags.EchoTrainLength, 128)
                .AddDecimalString(SyntheticTags.RepetitionTime, 1100)
                .AddDecimalString(SyntheticTags.EchoTime, 92)
                .AddDecimalString(SyntheticTags.MagneticFieldStrength, 1.5);
        }
    }

    private static void AddProcedureCode(DicomDataSetBuilder ds, SeriesPlan series)
    {
        var (code, meaning) = series.Kind switch
        {
            SyntheticImagingKind.Xray => ("XCHES", "XR Chest"),
            SyntheticImagingKind.Ct => ("CCHES", "CT Thorax"),
            _ => ("MCHES", "MR Thorax"),
        };
        var item = ds.CreateItem()
            .AddString(SyntheticTags.CodeValue, DicomVR.SH, code)
            .AddString(SyntheticTags.CodingSchemeDesignator, DicomVR.SH, "NICIP")
            .AddString(SyntheticTags.CodeMeaning, DicomVR.LO, meaning);
        ds.AddSequence(SyntheticTags.ProcedureCodeSequence, [item], series.UndefinedLengthSequences, series.UndefinedLengthSequences);
    }

    private static void AddPixelData(DicomDataSetBuilder ds, SeriesPlan series, SyntheticRandom rng, PixelSynthesizer pixels)
    {
        if (SyntheticTransferSyntaxInfo.IsEncapsulated(series.TransferSyntax))
        {
            ds.AddString(SyntheticTags.LossyImageCompression, DicomVR.CS, series.TransferSyntax == SyntheticTransferSyntax.JpegBaseline ? "01" : "00");
            var compressed = series.Rows * series.Columns * series.BitsAllocated / 8 / 6;
            var fragment = PixelSynthesizer.FakeFragment(series.TransferSyntax, compressed, rng);
            if (rng.Chance(0.3))
            {
                // Some encoders split a frame over two fragments; the offset table still lists one frame.
                var half = (fragment.Length / 2) & ~1;
                ds.AddEncapsulatedPixelData([fragment.AsMemory(0, half), fragment.AsMemory(half)], [0]);
            }
            else
            {
                ds.AddEncapsulatedPixelData([fragment], rng.Chance(0.5) ? [0] : null);
            }

            return;
        }

        ds.AddBytes(SyntheticTags.PixelData, DicomVR.OW, pixels.Native16(series.Rows, series.Columns, series.BitsStored, rng));
    }
}
