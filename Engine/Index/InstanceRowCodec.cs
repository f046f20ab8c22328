using System.Text;
using Nccid.Batch.Audit;
using Nccid.Batch.Tables;

namespace Nccid.Batch.Index;

/// <summary>
/// The codec of the <c>scan</c> verb's rows: the instances row in binary, its header_json kept apart. Every property in
/// declaration order, in the layout of <see cref="InstanceFactsCodec"/> (UTF-8 strings with a 7-bit length stored plus
/// one, 0 for null; little-endian numbers; doubles by their bits, NaN and -0 kept). JSON cost more to write than the
/// rest of the entry.
/// </summary>
public sealed class InstanceRowCodec : IIndexCodec<InstanceRow>
{
    private const byte Version = 1;

    // One buffer per thread, reused from file to file: the payload is then the only array an encoding allocates.
    [ThreadStatic]
    private static BinaryWriter? t_writer;

    /// <inheritdoc />
    public string Kind => "scan";

    /// <inheritdoc />
    public bool DecodesRow => true;

    /// <inheritdoc />
    public (byte[] Meta, byte[] Row, string? Text) Encode(InstanceRow row) => ([], EncodeRow(row), row.HeaderJson);

    /// <inheritdoc />
    public InstanceRow Decode(ScanIndexEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var (payload, text) = entry.LoadRow();
        return DecodeRow(payload, text);
    }

    /// <summary>Encodes <paramref name="row"/> without its header_json, which the entry keeps apart.</summary>
    internal static byte[] EncodeRow(InstanceRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var w = t_writer ??= new BinaryWriter(new MemoryStream(1024), Encoding.UTF8);
        var stream = (MemoryStream)w.BaseStream;
        stream.SetLength(0);
        w.Write(Version);
        InstanceFactsCodec.Str(w, row.Path);
        w.Write(row.SizeBytes);
        w.Write(row.ModifiedUtc.Ticks);
        w.Write((byte)row.ModifiedUtc.Kind);
        InstanceFactsCodec.Str(w, row.Status);
        InstanceFactsCodec.Str(w, row.Error);
        w.Write(row.HeaderBytes);
        InstanceFactsCodec.Str(w, row.TransferSyntaxUID);
        InstanceFactsCodec.Str(w, row.SOPClassUID);
        InstanceFactsCodec.Str(w, row.SOPInstanceUID);
        InstanceFactsCodec.Str(w, row.StudyInstanceUID);
        InstanceFactsCodec.Str(w, row.SeriesInstanceUID);
        InstanceFactsCodec.Str(w, row.FrameOfReferenceUID);
        InstanceFactsCodec.Str(w, row.Modality);
        InstanceFactsCodec.Str(w, row.PatientID);
        InstanceFactsCodec.Str(w, row.PatientSex);
        InstanceFactsCodec.Str(w, row.PatientAge);
        InstanceFactsCodec.Int(w, row.StudyDate?.DayNumber);
        InstanceFactsCodec.Int(w, row.SeriesDate?.DayNumber);
        InstanceFactsCodec.Int(w, row.AcquisitionDate?.DayNumber);
        InstanceFactsCodec.Str(w, row.StudyTime);
        InstanceFactsCodec.Str(w, row.StudyDescription);
        InstanceFactsCodec.Str(w, row.SeriesDescription);
        InstanceFactsCodec.Int(w, row.SeriesNumber);
        InstanceFactsCodec.Int(w, row.InstanceNumber);
        InstanceFactsCodec.Str(w, row.AccessionNumber);
        InstanceFactsCodec.Str(w, row.BodyPartExamined);
        InstanceFactsCodec.Str(w, row.ViewPosition);
        Strings(w, row.ImageType);
        InstanceFactsCodec.Str(w, row.Manufacturer);
        InstanceFactsCodec.Str(w, row.ManufacturerModelName);
        Strings(w, row.SoftwareVersions);
        InstanceFactsCodec.Str(w, row.InstitutionName);
        InstanceFactsCodec.Str(w, row.StationName);
        InstanceFactsCodec.Int(w, row.Rows);
        InstanceFactsCodec.Int(w, row.Columns);
        InstanceFactsCodec.Int(w, row.NumberOfFrames);
        InstanceFactsCodec.Int(w, row.BitsAllocated);
        InstanceFactsCodec.Int(w, row.BitsStored);
        InstanceFactsCodec.Int(w, row.PixelRepresentation);
        InstanceFactsCodec.Int(w, row.SamplesPerPixel);
        InstanceFactsCodec.Str(w, row.PhotometricInterpretation);
        InstanceFactsCodec.Doubles(w, row.PixelSpacing);
        InstanceFactsCodec.Doubles(w, row.ImagerPixelSpacing);
        w.Write(row.SliceThickness.HasValue);
        if (row.SliceThickness is { } sliceThickness) w.Write(sliceThickness);
        w.Write(row.SpacingBetweenSlices.HasValue);
        if (row.SpacingBetweenSlices is { } spacingBetweenSlices) w.Write(spacingBetweenSlices);
        InstanceFactsCodec.Doubles(w, row.ImagePositionPatient);
        InstanceFactsCodec.Doubles(w, row.ImageOrientationPatient);
        w.Write(row.KVP.HasValue);
        if (row.KVP is { } kVP) w.Write(kVP);
        Strings(w, row.ConvolutionKernel);
        InstanceFactsCodec.Str(w, row.ContrastBolusAgent);
        Strings(w, row.SpecificCharacterSet);
        InstanceFactsCodec.Str(w, row.BurnedInAnnotation);
        InstanceFactsCodec.Str(w, row.PatientIdentityRemoved);
        InstanceFactsCodec.Str(w, row.DeidentificationMethod);
        w.Write(row.PixelDataLength.HasValue);
        if (row.PixelDataLength is { } pixelDataLength) w.Write(pixelDataLength);
        w.Write((byte)(row.PixelDataEncapsulated switch { null => 0, false => 1, true => 2 }));
        InstanceFactsCodec.Int(w, row.PrivateElementCount);
        InstanceFactsCodec.Int(w, row.ElementCount);
        w.Flush();
        var payload = stream.ToArray();
        if (stream.Capacity > 1 << 20) t_writer = null;
        return payload;
    }

    /// <summary>The row <see cref="EncodeRow"/> made, with its header_json.</summary>
    internal static InstanceRow DecodeRow(ReadOnlySpan<byte> payload, string? text)
    {
        var r = new PayloadReader(payload);
        if (r.Byte() != Version) throw new InvalidDataException("An index row has an unknown version.");
        var row = new InstanceRow
        {
            Path = r.Str() ?? throw new InvalidDataException("An index row has no Path."),
            SizeBytes = r.Long(),
            ModifiedUtc = Time(r.Long(), r.Byte()),
            Status = r.Shared() ?? throw new InvalidDataException("An index row has no Status."),
            Error = r.Str(),
            HeaderBytes = r.Long(),
            TransferSyntaxUID = r.Shared(),
            SOPClassUID = r.Shared(),
            SOPInstanceUID = r.Str(),
            StudyInstanceUID = r.Shared(),
            SeriesInstanceUID = r.Shared(),
            FrameOfReferenceUID = r.Shared(),
            Modality = r.Shared(),
            PatientID = r.Shared(),
            PatientSex = r.Shared(),
            PatientAge = r.Shared(),
            StudyDate = r.Int() is { } studyDate ? DateOnly.FromDayNumber(studyDate) : null,
            SeriesDate = r.Int() is { } seriesDate ? DateOnly.FromDayNumber(seriesDate) : null,
            AcquisitionDate = r.Int() is { } acquisitionDate ? DateOnly.FromDayNumber(acquisitionDate) : null,
            StudyTime = r.Shared(),
            StudyDescription = r.Shared(),
            SeriesDescription = r.Shared(),
            SeriesNumber = r.Int(),
            InstanceNumber = r.Int(),
            AccessionNumber = r.Str(),
            BodyPartExamined = r.Shared(),
            ViewPosition = r.Shared(),
            ImageType = r.Strings(),
            Manufacturer = r.Shared(),
            ManufacturerModelName = r.Shared(),
            SoftwareVersions = r.Strings(),
            InstitutionName = r.Shared(),
            StationName = r.Shared(),
            Rows = r.Int(),
            Columns = r.Int(),
            NumberOfFrames = r.Int(),
            BitsAllocated = r.Int(),
            BitsStored = r.Int(),
            PixelRepresentation = r.Int(),
            SamplesPerPixel = r.Int(),
            PhotometricInterpretation = r.Shared(),
            PixelSpacing = r.Doubles(),
            ImagerPixelSpacing = r.Doubles(),
            SliceThickness = r.Bool() ? r.Double() : null,
            SpacingBetweenSlices = r.Bool() ? r.Double() : null,
            ImagePositionPatient = r.Doubles(),
            ImageOrientationPatient = r.Doubles(),
            KVP = r.Bool() ? r.Double() : null,
            ConvolutionKernel = r.Strings(),
            ContrastBolusAgent = r.Shared(),
            SpecificCharacterSet = r.Strings(),
            BurnedInAnnotation = r.Shared(),
            PatientIdentityRemoved = r.Shared(),
            DeidentificationMethod = r.Shared(),
            PixelDataLength = r.Bool() ? r.Long() : null,
            PixelDataEncapsulated = r.Byte() switch { 0 => null, 1 => false, 2 => true, _ => throw new InvalidDataException("An index row holds a bad flag.") },
            PrivateElementCount = r.Int(),
            ElementCount = r.Int(),
            HeaderJson = text,
        };
        if (!r.AtEnd) throw new InvalidDataException($"The index row of '{row.Path}' has bytes after its end.");
        return row;
    }

    /// <inheritdoc />
    public bool DependsOnReferenceDate(InstanceRow row) => false;

    private static DateTime Time(long ticks, byte kind) =>
        ticks is >= 0 and <= 3_155_378_975_999_999_999 && kind <= (byte)DateTimeKind.Local
            ? new DateTime(ticks, (DateTimeKind)kind)
            : throw new InvalidDataException("An index row holds a bad modification time.");

    private static void Strings(BinaryWriter w, IReadOnlyList<string>? values)
    {
        w.Write7BitEncodedInt(values is null ? 0 : values.Count + 1);
        if (values is null) return;
        foreach (var value in values) InstanceFactsCodec.Str(w, value ?? throw new InvalidOperationException("A list of strings in an instances row holds a null."));
    }
}
