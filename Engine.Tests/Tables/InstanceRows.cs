using Nccid.Batch.Tables;

namespace Nccid.Batch.Tests.Tables;

/// <summary>Deterministic instance rows that cover nulls, empty lists, unicode, dates and error rows.</summary>
internal static class InstanceRows
{
    private static readonly DateTime ModifiedBase = new(2021, 3, 4, 5, 6, 7, DateTimeKind.Utc);
    private static readonly DateOnly DateBase = new(1985, 1, 1);
    private static readonly string[] Modalities = ["CR", "DX", "CT", "MR"];

    public static string PathOf(int i) => $"site-{i % 7}/patient-{i / 50}/file-{i:D7}.dcm";

    public static InstanceRow Create(int i)
    {
        var row = new InstanceRow
        {
            Path = PathOf(i),
            SizeBytes = 1_000_000L * (i % 13) + i,
            // Whole microseconds: the table keeps microsecond precision.
            ModifiedUtc = ModifiedBase.AddSeconds(i).AddMicroseconds(i % 1000),
            HeaderBytes = 4096 + (i % 5) * 1024,
        };
        if (i % 10 == 0)
        {
            row.Status = InstanceRow.StatusError;
            row.Error = i % 20 == 0 ? "No 'DICM' prefix at offset 128" : "Element (0010,0010) length 4294967294 exceeds the 812 bytes left";
            return row;
        }

        row.TransferSyntaxUID = i % 3 == 0 ? "1.2.840.10008.1.2.4.90" : "1.2.840.10008.1.2.1";
        row.SOPClassUID = "1.2.840.10008.5.1.4.1.1.1.1";
        row.SOPInstanceUID = $"1.2.826.0.1.3680043.10.{i}";
        row.StudyInstanceUID = $"1.2.826.0.1.3680043.20.{i / 50}";
        row.SeriesInstanceUID = $"1.2.826.0.1.3680043.30.{i / 10}";
        row.FrameOfReferenceUID = i % 4 == 0 ? null : $"1.2.826.0.1.3680043.40.{i / 10}";
        row.Modality = Modalities[i % Modalities.Length];
        row.PatientID = i % 9 == 1 ? $"患者-Ünïcødé-{i / 50}" : $"P{i / 50:D6}";
        row.PatientSex = (i % 3) switch { 0 => "F", 1 => "M", _ => null };
        row.PatientAge = $"{i % 100:D3}Y";
        row.StudyDate = DateBase.AddDays(i % 15_000);
        row.SeriesDate = i % 6 == 0 ? null : DateBase.AddDays(i % 15_000);
        row.AcquisitionDate = i % 11 == 0 ? new DateOnly(1900, 1, 1) : DateBase.AddDays(i % 14_000);
        row.StudyTime = $"{i % 24:D2}3012.5";
        row.StudyDescription = i % 8 == 3 ? "" : "CHEST PA | LAT";
        row.SeriesDescription = i % 5 == 2 ? "Thorax ▲ \"quoted\" 'single'" : "Chest";
        row.SeriesNumber = i % 3 == 0 ? null : i % 17;
        row.InstanceNumber = i % 2 == 0 ? -i : i;
        row.AccessionNumber = $"ACC{i / 50}";
        row.BodyPartExamined = "CHEST";
        row.ViewPosition = i % 2 == 0 ? "PA" : "AP";
        row.ImageType = (i % 7) switch
        {
            1 => [],
            2 => null,
            _ => ["ORIGINAL", "PRIMARY", i % 2 == 0 ? "" : "AXIAL"],
        };
        row.Manufacturer = i % 4 == 1 ? "Siemens Healthineers" : "GE MEDICAL SYSTEMS";
        row.ManufacturerModelName = "Model " + (i % 6);
        row.SoftwareVersions = i % 3 == 0 ? ["VE10A", "syngo CT 2012B"] : i % 3 == 1 ? [] : null;
        row.InstitutionName = i % 9 == 4 ? "Hôpital Saint-Éloi" : "Royal Infirmary";
        row.StationName = $"ST{i % 12}";
        row.Rows = 2048 + i % 3;
        row.Columns = 2500 - i % 4;
        row.NumberOfFrames = i % 5 == 0 ? 1 : null;
        row.BitsAllocated = 16;
        row.BitsStored = 12;
        row.PixelRepresentation = i % 2;
        row.SamplesPerPixel = 1;
        row.PhotometricInterpretation = "MONOCHROME2";
        row.PixelSpacing = i % 5 == 1 ? null : [0.139 + i % 3 * 0.001, 0.139];
        row.ImagerPixelSpacing = i % 4 == 2 ? [] : [0.1, 0.1];
        row.SliceThickness = i % 3 == 0 ? null : 1.25 + i % 10;
        row.SpacingBetweenSlices = i % 7 == 0 ? -0.625 : null;
        row.ImagePositionPatient = [-175.5 + i % 10, -200.25, 1e-3 * i];
        row.ImageOrientationPatient = [1, 0, 0, 0, 1, 0];
        row.KVP = i % 8 == 0 ? null : 110 + i % 20 * 0.5;
        row.ConvolutionKernel = i % 2 == 0 ? ["B30f", "sharp"] : null;
        row.ContrastBolusAgent = i % 13 == 0 ? "Omnipaque 350" : null;
        row.SpecificCharacterSet = i % 9 == 1 ? ["ISO 2022 IR 6", "ISO 2022 IR 87"] : ["ISO_IR 100"];
        row.BurnedInAnnotation = "NO";
        row.PatientIdentityRemoved = "YES";
        row.DeidentificationMethod = "NCCID\\Basic Profile";
        row.PixelDataEncapsulated = (i % 3) switch { 0 => true, 1 => false, _ => null };
        row.PixelDataLength = row.PixelDataEncapsulated == false ? 2048L * 2500 * 2 : null;
        row.PrivateElementCount = i % 4 == 0 ? 0 : 12 + i % 7;
        row.ElementCount = 120 + i % 40;
        row.HeaderJson = $"{{\"00080018\":{{\"vr\":\"UI\",\"Value\":[\"{row.SOPInstanceUID}\"]}},\"00100020\":{{\"vr\":\"LO\",\"Value\":[\"{row.PatientID}\"]}}}}";
        return row;
    }
}
