using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Nccid.Batch.Dicom;

/// <summary>
/// Writes a parsed header in the DICOM JSON model (PS3.18 Annex F): the data set without its file meta group,
/// bulk data (OB, OW, OF, OD, OL, OV, UN) left out by writing only the VR, so that no attribute is lost.
/// </summary>
public static class DicomJsonWriter
{
    /// <summary>
    /// Writes the whole data set as one JSON object, leaving out the top-level elements (with everything nested in
    /// them) whose tags are in <paramref name="withheld"/>: an audit withholds what it found identifiers in.
    /// </summary>
    public static void Write(DicomHeader header, Utf8JsonWriter writer, IReadOnlySet<uint>? withheld = null)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(writer);
        var i = 0;
        while (i < header.Count && (header[i].Flags & DicomElementFlags.FileMeta) != 0) i++;
        WriteObject(header, writer, -1, ref i, header.CharacterSet, withheld);
    }

    private static void WriteObject(DicomHeader header, Utf8JsonWriter writer, int parent, ref int i, DicomCharacterSet characterSet, IReadOnlySet<uint>? withheld)
    {
        writer.WriteStartObject();
        Span<byte> key = stackalloc byte[8];
        while (i < header.Count && header[i].Parent == parent)
        {
            var index = i++;
            ref readonly var e = ref header[index];
            if (withheld is not null && withheld.Contains(e.Tag))
            {
                while (i < header.Count && header[i].Depth > e.Depth) i++;
                continue;
            }

            FormatTag(e.Tag, key);
            writer.WritePropertyName(key);
            writer.WriteStartObject();
            var known = DicomVRInfo.IsKnown(e.VR);
            writer.WriteString("vr"u8, known ? DicomVRInfo.ToCode(e.VR) : "UN");
            if (e.IsSequence)
            {
                writer.WriteStartArray("Value"u8);
                while (i < header.Count && header[i].Parent == index)
                {
                    var item = i++;
                    // An item with its own Specific Character Set uses it, and so do the items nested in it (PS3.5 C.12.1.1.2).
                    WriteObject(header, writer, item, ref i, header.OwnCharacterSet(item) ?? characterSet, null);
                }

                writer.WriteEndArray();
            }
            else if (known && (e.Flags & DicomElementFlags.Encapsulated) == 0)
            {
                WriteValue(header, writer, index, e.VR, characterSet);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static ReadOnlySpan<byte> HexDigits => "0123456789ABCDEF"u8;

    private static void FormatTag(uint tag, Span<byte> utf8)
    {
        for (var n = 7; n >= 0; n--)
        {
            utf8[n] = HexDigits[(int)(tag & 0xF)];
            tag >>= 4;
        }
    }

    private static void WriteValue(DicomHeader header, Utf8JsonWriter writer, int index, DicomVR vr, DicomCharacterSet characterSet)
    {
        switch (vr)
        {
            case DicomVR.OB or DicomVR.OW or DicomVR.OF or DicomVR.OD or DicomVR.OL or DicomVR.OV or DicomVR.UN:
                return; // Bulk data is left out.
            case DicomVR.US or DicomVR.SS or DicomVR.UL or DicomVR.SL or DicomVR.SV or DicomVR.UV:
                WriteIntegers(header, writer, index, vr);
                return;
            case DicomVR.FL or DicomVR.FD:
            {
                var count = header.BinaryValueCount(index);
                if (count == 0) return;
                writer.WriteStartArray("Value"u8);
                for (var n = 0; n < count; n++)
                {
                    var number = header.ReadBinaryNumber(index, n);
                    if (double.IsFinite(number)) writer.WriteNumberValue(number);
                    else writer.WriteStringValue(number.ToString(CultureInfo.InvariantCulture));
                }

                writer.WriteEndArray();
                return;
            }

            case DicomVR.AT:
            {
                var count = header.BinaryValueCount(index);
                if (count == 0) return;
                writer.WriteStartArray("Value"u8);
                Span<byte> hex = stackalloc byte[8];
                for (var n = 0; n < count; n++)
                {
                    FormatTag(header.ReadBinaryTag(index, n), hex);
                    writer.WriteStringValue(hex);
                }

                writer.WriteEndArray();
                return;
            }
        }

        var raw = header.TrimmedValue(index);
        if (raw.IsEmpty) return;
        if (Ascii.IsValid(raw) && (!DicomVRInfo.UsesSpecificCharacterSet(vr) || characterSet.IsSingleByteAsciiCompatible))
        {
            // ASCII is its own UTF-8: the values are written from the bytes as they are, without a string or a copy.
            WriteAsciiValues(writer, raw, vr);
            return;
        }

        var text = DicomVRInfo.UsesSpecificCharacterSet(vr) ? characterSet.Decode(raw, vr) : Encoding.Latin1.GetString(raw);
        writer.WriteStartArray("Value"u8);
        if (DicomVRInfo.IsSingleValuedText(vr))
        {
            WriteText(writer, text, vr);
        }
        else
        {
            foreach (var range in text.AsSpan().Split('\\')) WriteText(writer, text.AsSpan()[range].Trim(" \0"), vr);
        }

        writer.WriteEndArray();
    }

    /// <summary>Binary integers as exact JSON numbers (a 64-bit value would lose digits as a double).</summary>
    private static void WriteIntegers(DicomHeader header, Utf8JsonWriter writer, int index, DicomVR vr)
    {
        var size = DicomVRInfo.BinaryValueSize(vr);
        var bytes = header.ValueBytes(index);
        var count = bytes.Length / size;
        if (count == 0) return;
        var big = header[index].IsBigEndian;
        writer.WriteStartArray("Value"u8);
        for (var n = 0; n < count; n++)
        {
            var value = bytes.Slice(n * size, size);
            switch (vr)
            {
                case DicomVR.US: writer.WriteNumberValue(big ? BinaryPrimitives.ReadUInt16BigEndian(value) : BinaryPrimitives.ReadUInt16LittleEndian(value)); break;
                case DicomVR.SS: writer.WriteNumberValue(big ? BinaryPrimitives.ReadInt16BigEndian(value) : BinaryPrimitives.ReadInt16LittleEndian(value)); break;
                case DicomVR.UL: writer.WriteNumberValue(big ? BinaryPrimitives.ReadUInt32BigEndian(value) : BinaryPrimitives.ReadUInt32LittleEndian(value)); break;
                case DicomVR.SL: writer.WriteNumberValue(big ? BinaryPrimitives.ReadInt32BigEndian(value) : BinaryPrimitives.ReadInt32LittleEndian(value)); break;
                case DicomVR.SV: writer.WriteNumberValue(big ? BinaryPrimitives.ReadInt64BigEndian(value) : BinaryPrimitives.ReadInt64LittleEndian(value)); break;
                default: writer.WriteNumberValue(big ? BinaryPrimitives.ReadUInt64BigEndian(value) : BinaryPrimitives.ReadUInt64LittleEndian(value)); break;
            }
        }

        writer.WriteEndArray();
    }

    private static void WriteAsciiValues(Utf8JsonWriter writer, ReadOnlySpan<byte> raw, DicomVR vr)
    {
        writer.WriteStartArray("Value"u8);
        if (DicomVRInfo.IsSingleValuedText(vr))
        {
            WriteText(writer, raw, vr);
        }
        else
        {
            foreach (var range in raw.Split((byte)'\\')) WriteText(writer, raw[range].Trim(" \0"u8), vr);
        }

        writer.WriteEndArray();
    }

    private static void WriteText(Utf8JsonWriter writer, ReadOnlySpan<byte> value, DicomVR vr)
    {
        if (value.IsEmpty)
        {
            writer.WriteNullValue();
        }
        else if (vr == DicomVR.PN)
        {
            writer.WriteStartObject();
            var group = 0;
            foreach (var range in value.Split((byte)'='))
            {
                var part = value[range];
                if (part.Length > 0) writer.WriteString(ComponentGroup(group), part);
                if (++group == 3) break;
            }

            writer.WriteEndObject();
        }
        else if (vr is DicomVR.DS or DicomVR.IS && IsPlainJsonNumber(value))
        {
            // Already a JSON number, and without an exponent it cannot overflow a double: written as it is.
            writer.WriteRawValue(value, skipInputValidation: true);
        }
        else if (vr is DicomVR.DS or DicomVR.IS && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
        {
            writer.WriteNumberValue(number);
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }

    /// <summary>True for <c>-?(0|[1-9][0-9]*)(\.[0-9]+)?</c>: a JSON number (RFC 8259) without an exponent.</summary>
    private static bool IsPlainJsonNumber(ReadOnlySpan<byte> text)
    {
        var i = 0;
        if (i < text.Length && text[i] == (byte)'-') i++;
        if (i == text.Length || !char.IsAsciiDigit((char)text[i])) return false;
        if (text[i] == (byte)'0' && i + 1 < text.Length && char.IsAsciiDigit((char)text[i + 1])) return false;
        while (i < text.Length && char.IsAsciiDigit((char)text[i])) i++;
        if (i == text.Length) return true;
        if (text[i] != (byte)'.' || ++i == text.Length) return false;
        while (i < text.Length && char.IsAsciiDigit((char)text[i])) i++;
        return i == text.Length;
    }

    private static ReadOnlySpan<byte> ComponentGroup(int group) => group switch { 0 => "Alphabetic"u8, 1 => "Ideographic"u8, _ => "Phonetic"u8 };

    private static void WriteText(Utf8JsonWriter writer, ReadOnlySpan<char> value, DicomVR vr)
    {
        if (value.IsEmpty)
        {
            writer.WriteNullValue();
        }
        else if (vr == DicomVR.PN)
        {
            WritePersonName(writer, value);
        }
        else if (vr is DicomVR.DS or DicomVR.IS && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
        {
            writer.WriteNumberValue(number);
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }

    private static void WritePersonName(Utf8JsonWriter writer, ReadOnlySpan<char> value)
    {
        writer.WriteStartObject();
        var group = 0;
        foreach (var range in value.Split('='))
        {
            var part = value[range];
            if (part.Length > 0)
            {
                writer.WriteString(ComponentGroup(group), part);
            }

            if (++group == 3) break;
        }

        writer.WriteEndObject();
    }
}
