using System.Buffers;
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
        WriteObject(header, writer, -1, ref i, withheld);
    }

    private static void WriteObject(DicomHeader header, Utf8JsonWriter writer, int parent, ref int i, IReadOnlySet<uint>? withheld = null)
    {
        writer.WriteStartObject();
        Span<char> key = stackalloc char[8];
        while (i < header.Count && header[i].Parent == parent)
        {
            var index = i++;
            ref readonly var e = ref header[index];
            if (withheld is not null && withheld.Contains(e.Tag))
            {
                while (i < header.Count && header[i].Depth > e.Depth) i++;
                continue;
            }

            e.Tag.TryFormat(key, out _, "X8", System.Globalization.CultureInfo.InvariantCulture);
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
                    WriteObject(header, writer, item, ref i);
                }

                writer.WriteEndArray();
            }
            else if (known && (e.Flags & DicomElementFlags.Encapsulated) == 0)
            {
                WriteValue(header, writer, index, e.VR);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteValue(DicomHeader header, Utf8JsonWriter writer, int index, DicomVR vr)
    {
        switch (vr)
        {
            case DicomVR.OB or DicomVR.OW or DicomVR.OF or DicomVR.OD or DicomVR.OL or DicomVR.OV or DicomVR.UN:
                return; // Bulk data is left out.
            case DicomVR.US or DicomVR.SS or DicomVR.UL or DicomVR.SL or DicomVR.FL or DicomVR.FD or DicomVR.SV or DicomVR.UV:
            {
                var count = header.BinaryValueCount(index);
                if (count == 0) return;
                writer.WriteStartArray("Value"u8);
                for (var n = 0; n < count; n++)
                {
                    var number = header.ReadBinaryNumber(index, n);
                    if (double.IsFinite(number)) writer.WriteNumberValue(number);
                    else writer.WriteStringValue(number.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }

                writer.WriteEndArray();
                return;
            }

            case DicomVR.AT:
            {
                var count = header.BinaryValueCount(index);
                if (count == 0) return;
                writer.WriteStartArray("Value"u8);
                Span<char> hex = stackalloc char[8];
                for (var n = 0; n < count; n++)
                {
                    header.ReadBinaryTag(index, n).TryFormat(hex, out _, "X8", System.Globalization.CultureInfo.InvariantCulture);
                    writer.WriteStringValue(hex);
                }

                writer.WriteEndArray();
                return;
            }
        }

        var raw = header.TrimmedValue(index);
        if (raw.IsEmpty) return;
        if (!DicomVRInfo.UsesSpecificCharacterSet(vr) || (header.CharacterSet.IsSingleByteAsciiCompatible && Ascii.IsValid(raw)))
        {
            // Here the text is the bytes one for one, as GetString would decode them: splitting it in a span saves
            // a string per element, an array and a string per value (most of what header_json allocated).
            WriteSingleByteValues(writer, raw, vr);
            return;
        }

        var values = header.GetStringsAt(index);
        writer.WriteStartArray("Value"u8);
        foreach (var value in values) WriteText(writer, value, vr);
        writer.WriteEndArray();
    }

    private static void WriteSingleByteValues(Utf8JsonWriter writer, ReadOnlySpan<byte> raw, DicomVR vr)
    {
        char[]? rented = null;
        var buffer = raw.Length <= 256 ? stackalloc char[256] : (rented = ArrayPool<char>.Shared.Rent(raw.Length));
        try
        {
            var text = buffer[..Encoding.Latin1.GetChars(raw, buffer)];
            writer.WriteStartArray("Value"u8);
            if (DicomVRInfo.IsSingleValuedText(vr))
            {
                WriteText(writer, text, vr);
            }
            else
            {
                foreach (var range in text.Split('\\')) WriteText(writer, text[range].Trim(" \0"), vr);
            }

            writer.WriteEndArray();
        }
        finally
        {
            if (rented is not null) ArrayPool<char>.Shared.Return(rented);
        }
    }

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
                var name = group switch { 0 => "Alphabetic"u8, 1 => "Ideographic"u8, _ => "Phonetic"u8 };
                writer.WriteString(name, part);
            }

            if (++group == 3) break;
        }

        writer.WriteEndObject();
    }
}
