using System.Text.Json;

namespace Nccid.Batch.Dicom;

/// <summary>
/// Writes a parsed header in the DICOM JSON model (PS3.18 Annex F): the data set without its file meta group,
/// bulk data (OB, OW, OF, OD, OL, OV, UN) left out by writing only the VR, so that no attribute is lost.
/// </summary>
public static class DicomJsonWriter
{
    /// <summary>Writes the whole data set as one JSON object.</summary>
    public static void Write(DicomHeader header, Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(writer);
        var i = 0;
        while (i < header.Count && (header[i].Flags & DicomElementFlags.FileMeta) != 0) i++;
        WriteObject(header, writer, -1, ref i);
    }

    private static void WriteObject(DicomHeader header, Utf8JsonWriter writer, int parent, ref int i)
    {
        writer.WriteStartObject();
        Span<char> key = stackalloc char[8];
        while (i < header.Count && header[i].Parent == parent)
        {
            var index = i++;
            ref readonly var e = ref header[index];
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

        if (header.TrimmedValue(index).IsEmpty) return;
        var values = header.GetStringsAt(index);
        writer.WriteStartArray("Value"u8);
        foreach (var value in values)
        {
            if (value.Length == 0)
            {
                writer.WriteNullValue();
            }
            else if (vr == DicomVR.PN)
            {
                WritePersonName(writer, value);
            }
            else if (vr is DicomVR.DS or DicomVR.IS && double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
            {
                writer.WriteNumberValue(number);
            }
            else
            {
                writer.WriteStringValue(value);
            }
        }

        writer.WriteEndArray();
    }

    private static void WritePersonName(Utf8JsonWriter writer, string value)
    {
        writer.WriteStartObject();
        var groups = value.Split('=');
        if (groups.Length > 0 && groups[0].Length > 0) writer.WriteString("Alphabetic"u8, groups[0]);
        if (groups.Length > 1 && groups[1].Length > 0) writer.WriteString("Ideographic"u8, groups[1]);
        if (groups.Length > 2 && groups[2].Length > 0) writer.WriteString("Phonetic"u8, groups[2]);
        writer.WriteEndObject();
    }
}
