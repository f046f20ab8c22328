using System.Text;
using Nccid.Batch.Storage;

namespace Nccid.Batch.Audit;

/// <summary>
/// <see cref="InstanceFacts"/> in binary: the layout the scan index keeps them in (UTF-8 strings with a 7-bit length
/// stored plus one, 0 for null; little-endian numbers; doubles by their bits), and the records the collection rules
/// spill to sort them, which add the submitting centre. A rule's sort spills only the facts that rule reads
/// (<see cref="ForDuplicates"/>, <see cref="ForSeries"/>): the sorts of every instance then write and read back a
/// half or less of each record. The path, the centre and whether the file was readable are always kept.
/// </summary>
internal sealed class InstanceFactsCodec : ISpillCodec<InstanceFacts>
{
    private readonly SpilledFacts _kept;

    private InstanceFactsCodec(SpilledFacts kept) => _kept = kept;

    /// <summary>Facts an instance's spilled record keeps beyond its path, readability and centre.</summary>
    [Flags]
    internal enum SpilledFacts
    {
        /// <summary>Size and header hash.</summary>
        Content = 1,
        /// <summary>SOP Instance UID.</summary>
        SopInstance = 2,
        /// <summary>Folder pseudonym, Patient ID, sex, birth year, age, study date and Study Instance UID.</summary>
        PatientAndStudy = 4,
        /// <summary>SOP Class UID, modality, Series and Frame of Reference UIDs, Instance Number, position, orientation and thickness.</summary>
        Series = 8,
        /// <summary>Everything.</summary>
        All = Content | SopInstance | PatientAndStudy | Series,
    }

    /// <summary>The spill codec that keeps every fact.</summary>
    public static InstanceFactsCodec Spill { get; } = new(SpilledFacts.All);

    /// <summary>What the duplicate rule reads: UID, size and header hash.</summary>
    public static InstanceFactsCodec ForDuplicates { get; } = new(SpilledFacts.Content | SpilledFacts.SopInstance);

    /// <summary>What the series rules read: UIDs, class, modality, numbering and geometry.</summary>
    public static InstanceFactsCodec ForSeries { get; } = new(SpilledFacts.SopInstance | SpilledFacts.Series);

    /// <inheritdoc />
    public void Write(BinaryWriter writer, InstanceFacts item)
    {
        Write(writer, item, _kept);
        Str(writer, item.Centre);
    }

    /// <inheritdoc />
    public InstanceFacts Read(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var facts = ReadKept(reader);
        facts.Centre = ReadStr(reader);
        return facts;
    }

    private bool Keeps(SpilledFacts facts) => (_kept & facts) == facts;

    // In the order Write keeps them (a spill file is read back by the run that wrote it); facts not kept stay null (or 0).
    private InstanceFacts ReadKept(BinaryReader reader)
    {
        var path = ReadStr(reader) ?? throw new InvalidDataException("A spilled instance has no path.");
        var readable = reader.ReadBoolean();
        var (size, hash) = Keeps(SpilledFacts.Content) ? (reader.ReadInt64(), ReadBytes(reader)) : (0L, null);
        var sop = Keeps(SpilledFacts.SopInstance) ? ReadStr(reader) : null;
        var patient = Keeps(SpilledFacts.PatientAndStudy)
            ? (Folder: ReadStr(reader), Id: ReadStr(reader), Sex: ReadStr(reader), BirthYear: ReadInt(reader), Age: ReadInt(reader), StudyDate: ReadInt(reader), Study: ReadStr(reader))
            : default;
        var series = Keeps(SpilledFacts.Series)
            ? (Class: ReadStr(reader), Modality: ReadStr(reader), Uid: ReadStr(reader), Frame: ReadStr(reader), Number: ReadInt(reader),
                Position: ReadDoubles(reader), Orientation: ReadDoubles(reader), Thickness: reader.ReadBoolean() ? reader.ReadDouble() : (double?)null)
            : default;
        return new InstanceFacts
        {
            Path = path,
            Size = size,
            Readable = readable,
            HeaderHash = hash,
            SopInstanceUid = sop,
            FolderPseudonym = patient.Folder,
            PatientId = patient.Id,
            PatientSex = patient.Sex,
            BirthYear = patient.BirthYear,
            AgeYears = patient.Age,
            StudyDate = patient.StudyDate is { } day ? DateOnly.FromDayNumber(day) : null,
            StudyInstanceUid = patient.Study,
            SopClassUid = series.Class,
            Modality = series.Modality,
            SeriesInstanceUid = series.Uid,
            FrameOfReferenceUid = series.Frame,
            InstanceNumber = series.Number,
            ImagePositionPatient = series.Position,
            ImageOrientationPatient = series.Orientation,
            SliceThickness = series.Thickness,
        };
    }

    private static void WritePatientAndStudy(BinaryWriter w, InstanceFacts facts)
    {
        Str(w, facts.FolderPseudonym);
        Str(w, facts.PatientId);
        Str(w, facts.PatientSex);
        Int(w, facts.BirthYear);
        Int(w, facts.AgeYears);
        Int(w, facts.StudyDate?.DayNumber);
        Str(w, facts.StudyInstanceUid);
    }

    private static void WriteSeries(BinaryWriter w, InstanceFacts facts)
    {
        Str(w, facts.SopClassUid);
        Str(w, facts.Modality);
        Str(w, facts.SeriesInstanceUid);
        Str(w, facts.FrameOfReferenceUid);
        Int(w, facts.InstanceNumber);
        Doubles(w, facts.ImagePositionPatient);
        Doubles(w, facts.ImageOrientationPatient);
        w.Write(facts.SliceThickness.HasValue);
        if (facts.SliceThickness is { } thickness) w.Write(thickness);
    }

    private static void Bytes(BinaryWriter w, byte[]? bytes)
    {
        w.Write7BitEncodedInt(bytes is null ? 0 : bytes.Length + 1);
        if (bytes is not null) w.Write(bytes);
    }

    /// <summary>Writes every property of <paramref name="facts"/> but the centre: the scan index's layout, which a spill of every fact shares.</summary>
    public static void WriteFacts(BinaryWriter w, InstanceFacts facts) => Write(w, facts, SpilledFacts.All);

    private static void Write(BinaryWriter w, InstanceFacts facts, SpilledFacts kept)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(facts);
        Str(w, facts.Path);
        w.Write(facts.Readable);
        if ((kept & SpilledFacts.Content) != 0)
        {
            w.Write(facts.Size);
            Bytes(w, facts.HeaderHash);
        }

        if ((kept & SpilledFacts.SopInstance) != 0) Str(w, facts.SopInstanceUid);
        if ((kept & SpilledFacts.PatientAndStudy) != 0) WritePatientAndStudy(w, facts);
        if ((kept & SpilledFacts.Series) != 0) WriteSeries(w, facts);
    }

    /// <summary>A string or null: its UTF-8 length plus one (0 for null), then its bytes.</summary>
    public static void Str(BinaryWriter w, string? value)
    {
        ArgumentNullException.ThrowIfNull(w);
        if (value is null)
        {
            w.Write7BitEncodedInt(0);
            return;
        }

        var length = Encoding.UTF8.GetByteCount(value);
        w.Write7BitEncodedInt(length + 1);
        if (length <= 512)
        {
            Span<byte> bytes = stackalloc byte[length];
            Encoding.UTF8.GetBytes(value, bytes);
            w.Write(bytes);
        }
        else
        {
            w.Write(Encoding.UTF8.GetBytes(value));
        }
    }

    /// <summary>An optional int: a flag, then the value when there is one.</summary>
    public static void Int(BinaryWriter w, int? value)
    {
        w.Write(value.HasValue);
        if (value is { } v) w.Write(v);
    }

    /// <summary>An optional list of doubles: its length plus one (0 for null), then each value by its bits.</summary>
    public static void Doubles(BinaryWriter w, IReadOnlyList<double>? values)
    {
        w.Write7BitEncodedInt(values is null ? 0 : values.Count + 1);
        if (values is null) return;
        foreach (var v in values) w.Write(v);
    }

    /// <summary>Reads what <see cref="Str"/> wrote.</summary>
    public static string? ReadStr(BinaryReader r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var length = r.Read7BitEncodedInt();
        if (length == 0) return null;
        if (length < 0) throw new InvalidDataException("A string has a negative length.");
        return SpillStrings.ReadUtf8(r, length - 1);
    }

    /// <summary>Reads what <see cref="Int"/> wrote.</summary>
    public static int? ReadInt(BinaryReader r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return r.ReadBoolean() ? r.ReadInt32() : null;
    }

    private static double[]? ReadDoubles(BinaryReader r)
    {
        var length = r.Read7BitEncodedInt();
        if (length == 0) return null;
        var values = new double[length - 1];
        for (var i = 0; i < values.Length; i++) values[i] = r.ReadDouble();
        return values;
    }

    private static byte[]? ReadBytes(BinaryReader r)
    {
        var length = r.Read7BitEncodedInt();
        return length == 0 ? null : r.ReadBytes(length - 1);
    }
}
