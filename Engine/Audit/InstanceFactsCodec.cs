using System.Text;
using Nccid.Batch.Storage;

namespace Nccid.Batch.Audit;

/// <summary>
/// <see cref="InstanceFacts"/> in binary: the layout the scan index keeps them in (UTF-8 strings with a 7-bit length
/// stored plus one, 0 for null; little-endian numbers; doubles by their bits), and the records the collection rules
/// spill to sort them, which add the submitting centre.
/// </summary>
internal sealed class InstanceFactsCodec : ISpillCodec<InstanceFacts>
{
    /// <summary>The spill codec.</summary>
    public static InstanceFactsCodec Spill { get; } = new();

    /// <inheritdoc />
    public void Write(BinaryWriter writer, InstanceFacts item)
    {
        WriteFacts(writer, item);
        Str(writer, item.Centre);
    }

    /// <inheritdoc />
    public InstanceFacts Read(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var facts = new InstanceFacts
        {
            Path = ReadStr(reader) ?? throw new InvalidDataException("A spilled instance has no path."),
            Size = reader.ReadInt64(),
            Readable = reader.ReadBoolean(),
            FolderPseudonym = ReadStr(reader),
            SopInstanceUid = ReadStr(reader),
            SopClassUid = ReadStr(reader),
            Modality = ReadStr(reader),
            PatientId = ReadStr(reader),
            PatientSex = ReadStr(reader),
            BirthYear = ReadInt(reader),
            AgeYears = ReadInt(reader),
            StudyDate = ReadInt(reader) is { } day ? DateOnly.FromDayNumber(day) : null,
            StudyInstanceUid = ReadStr(reader),
            SeriesInstanceUid = ReadStr(reader),
            FrameOfReferenceUid = ReadStr(reader),
            InstanceNumber = ReadInt(reader),
            ImagePositionPatient = ReadDoubles(reader),
            ImageOrientationPatient = ReadDoubles(reader),
            SliceThickness = reader.ReadBoolean() ? reader.ReadDouble() : null,
            HeaderHash = ReadBytes(reader),
        };
        facts.Centre = ReadStr(reader);
        return facts;
    }

    /// <summary>Writes every property of <paramref name="facts"/> but the centre, in the scan index's layout.</summary>
    public static void WriteFacts(BinaryWriter w, InstanceFacts facts)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(facts);
        Str(w, facts.Path);
        w.Write(facts.Size);
        w.Write(facts.Readable);
        Str(w, facts.FolderPseudonym);
        Str(w, facts.SopInstanceUid);
        Str(w, facts.SopClassUid);
        Str(w, facts.Modality);
        Str(w, facts.PatientId);
        Str(w, facts.PatientSex);
        Int(w, facts.BirthYear);
        Int(w, facts.AgeYears);
        Int(w, facts.StudyDate?.DayNumber);
        Str(w, facts.StudyInstanceUid);
        Str(w, facts.SeriesInstanceUid);
        Str(w, facts.FrameOfReferenceUid);
        Int(w, facts.InstanceNumber);
        Doubles(w, facts.ImagePositionPatient);
        Doubles(w, facts.ImageOrientationPatient);
        w.Write(facts.SliceThickness.HasValue);
        if (facts.SliceThickness is { } thickness) w.Write(thickness);
        w.Write7BitEncodedInt(facts.HeaderHash is null ? 0 : facts.HeaderHash.Length + 1);
        if (facts.HeaderHash is not null) w.Write(facts.HeaderHash);
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
