using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Nccid.Batch.Dicom;

/// <summary>
/// Writes a parsed header in the DICOM JSON model (PS3.18 Annex F): the data set without its file meta group,
/// bulk data (OB, OW, OF, OD, OL, OV, UN) left out by writing only the VR, so that no attribute is lost. The JSON is
/// compact UTF-8, escaped as System.Text.Json's relaxed encoder escapes it, written straight into a buffer the writer
/// keeps: one writer per thread, reused for every header.
/// </summary>
public sealed class DicomJsonWriter
{
    /// <summary>
    /// The deepest nesting of the JSON written for any header the parser reads: three JSON levels (the element, its
    /// Value array, the item) for each sequence and its item, up to <see cref="DicomReadOptions.MaxDepthLimit"/>
    /// levels of them, and the data set itself. Readers of header_json allow this much.
    /// </summary>
    public const int MaxJsonDepth = (3 * (DicomReadOptions.MaxDepthLimit / 2)) + 2;

    private readonly JsonUtf8Buffer _json = new();

    /// <summary>
    /// Writes the whole data set as one JSON object, leaving out the top-level elements (with everything nested in
    /// them) whose tags are in <paramref name="withheld"/>: an audit withholds what it found identifiers in. Returns
    /// the UTF-8 JSON, valid until the next call.
    /// </summary>
    public ReadOnlySpan<byte> Write(DicomHeader header, IReadOnlySet<uint>? withheld = null)
    {
        ArgumentNullException.ThrowIfNull(header);
        _json.Clear();
        var i = 0;
        while (i < header.Count && (header[i].Flags & DicomElementFlags.FileMeta) != 0) i++;
        WriteObject(header, _json, -1, ref i, header.CharacterSet, withheld);
        return _json.Written;
    }

    /// <summary>The header as a DICOM JSON string (see <see cref="Write"/>).</summary>
    public string WriteString(DicomHeader header, IReadOnlySet<uint>? withheld = null) => Encoding.UTF8.GetString(Write(header, withheld));

    private static void WriteObject(DicomHeader header, JsonUtf8Buffer writer, int parent, ref int i, DicomCharacterSet characterSet, IReadOnlySet<uint>? withheld)
    {
        writer.Raw((byte)'{');
        Span<byte> key = stackalloc byte[] { (byte)'"', 0, 0, 0, 0, 0, 0, 0, 0, (byte)'"', (byte)':', (byte)'{', (byte)'"', (byte)'v', (byte)'r', (byte)'"', (byte)':', (byte)'"', 0, 0, (byte)'"' };
        var first = true;
        while (i < header.Count && header[i].Parent == parent)
        {
            var index = i++;
            ref readonly var e = ref header[index];
            if (withheld is not null && withheld.Contains(e.Tag))
            {
                while (i < header.Count && header[i].Depth > e.Depth) i++;
                continue;
            }

            if (!first) writer.Raw((byte)',');
            first = false;

            // "GGGGEEEE":{"vr":"XX" in one copy.
            FormatTag(e.Tag, key.Slice(1, 8));
            // A sequence is SQ whatever its header said: an undefined-length UN holds items in implicit VR (PS3.5
            // §6.2.2), and DICOM JSON allows a UN only InlineBinary or BulkDataURI, never items (PS3.18 F.2.3).
            var known = e.IsSequence || DicomVRInfo.IsKnown(e.VR);
            var vr = e.IsSequence ? DicomVR.SQ : e.VR;
            key[18] = known ? (byte)((ushort)vr >> 8) : (byte)'U';
            key[19] = known ? (byte)vr : (byte)'N';
            writer.Raw(key);
            if (e.IsSequence)
            {
                writer.Raw(",\"Value\":["u8);
                var firstItem = true;
                while (i < header.Count && header[i].Parent == index)
                {
                    if (!firstItem) writer.Raw((byte)',');
                    firstItem = false;
                    var item = i++;
                    // An item with its own Specific Character Set uses it, and so do the items nested in it (PS3.5 C.12.1.1.2).
                    WriteObject(header, writer, item, ref i, header.OwnCharacterSet(item) ?? characterSet, null);
                }

                writer.Raw((byte)']');
            }
            else if (known && (e.Flags & DicomElementFlags.Encapsulated) == 0)
            {
                WriteValue(header, writer, index, e.VR, characterSet);
            }

            writer.Raw((byte)'}');
        }

        writer.Raw((byte)'}');
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

    private static void WriteValue(DicomHeader header, JsonUtf8Buffer writer, int index, DicomVR vr, DicomCharacterSet characterSet)
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
                writer.Raw(ValueStart);
                for (var n = 0; n < count; n++)
                {
                    if (n > 0) writer.Raw((byte)',');
                    var number = header.ReadBinaryNumber(index, n);
                    if (double.IsFinite(number)) writer.Number(number);
                    else writer.String(number.ToString(CultureInfo.InvariantCulture));
                }

                writer.Raw((byte)']');
                return;
            }

            case DicomVR.AT:
            {
                var count = header.BinaryValueCount(index);
                if (count == 0) return;
                writer.Raw(ValueStart);
                Span<byte> hex = stackalloc byte[] { (byte)'"', 0, 0, 0, 0, 0, 0, 0, 0, (byte)'"' };
                for (var n = 0; n < count; n++)
                {
                    if (n > 0) writer.Raw((byte)',');
                    FormatTag(header.ReadBinaryTag(index, n), hex.Slice(1, 8));
                    writer.Raw(hex);
                }

                writer.Raw((byte)']');
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
        writer.Raw(ValueStart);
        if (DicomVRInfo.IsSingleValuedText(vr))
        {
            WriteText(writer, text, vr);
        }
        else
        {
            var first = true;
            foreach (var range in text.AsSpan().Split('\\'))
            {
                if (!first) writer.Raw((byte)',');
                first = false;
                WriteText(writer, DicomVRInfo.TrimValue(text.AsSpan()[range], vr, ' ', '\0'), vr);
            }
        }

        writer.Raw((byte)']');
    }

    private static ReadOnlySpan<byte> ValueStart => ",\"Value\":["u8;

    /// <summary>Binary integers as exact JSON numbers (a 64-bit value would lose digits as a double).</summary>
    private static void WriteIntegers(DicomHeader header, JsonUtf8Buffer writer, int index, DicomVR vr)
    {
        var size = DicomVRInfo.BinaryValueSize(vr);
        var bytes = header.ValueBytes(index);
        var count = bytes.Length / size;
        if (count == 0) return;
        var big = header[index].IsBigEndian;
        writer.Raw(ValueStart);
        for (var n = 0; n < count; n++)
        {
            if (n > 0) writer.Raw((byte)',');
            var value = bytes.Slice(n * size, size);
            switch (vr)
            {
                case DicomVR.US: writer.Number(big ? BinaryPrimitives.ReadUInt16BigEndian(value) : BinaryPrimitives.ReadUInt16LittleEndian(value)); break;
                case DicomVR.SS: writer.Number(big ? BinaryPrimitives.ReadInt16BigEndian(value) : BinaryPrimitives.ReadInt16LittleEndian(value)); break;
                case DicomVR.UL: writer.Number(big ? BinaryPrimitives.ReadUInt32BigEndian(value) : BinaryPrimitives.ReadUInt32LittleEndian(value)); break;
                case DicomVR.SL: writer.Number(big ? BinaryPrimitives.ReadInt32BigEndian(value) : BinaryPrimitives.ReadInt32LittleEndian(value)); break;
                case DicomVR.SV: writer.Number(big ? BinaryPrimitives.ReadInt64BigEndian(value) : BinaryPrimitives.ReadInt64LittleEndian(value)); break;
                default: writer.Number(big ? BinaryPrimitives.ReadUInt64BigEndian(value) : BinaryPrimitives.ReadUInt64LittleEndian(value)); break;
            }
        }

        writer.Raw((byte)']');
    }

    private static void WriteAsciiValues(JsonUtf8Buffer writer, ReadOnlySpan<byte> raw, DicomVR vr)
    {
        writer.Raw(ValueStart);
        if (DicomVRInfo.IsSingleValuedText(vr))
        {
            WriteText(writer, raw, vr);
        }
        else
        {
            var first = true;
            foreach (var range in raw.Split((byte)'\\'))
            {
                if (!first) writer.Raw((byte)',');
                first = false;
                WriteText(writer, DicomVRInfo.TrimValue(raw[range], vr, (byte)' ', (byte)0), vr);
            }
        }

        writer.Raw((byte)']');
    }

    private static void WriteText(JsonUtf8Buffer writer, ReadOnlySpan<byte> value, DicomVR vr)
    {
        if (value.IsEmpty)
        {
            writer.Raw("null"u8);
        }
        else if (vr == DicomVR.PN)
        {
            WritePersonName(writer, value, (byte)'=');
        }
        else if (vr is DicomVR.DS or DicomVR.IS && IsPlainJsonNumber(value))
        {
            // Already a JSON number, and without an exponent it cannot overflow a double: written as it is.
            writer.Raw(value);
        }
        else if (vr is DicomVR.DS or DicomVR.IS && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
        {
            writer.Number(number);
        }
        else
        {
            writer.String(value);
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

    /// <summary>A PN value as an object of its component groups (PS3.18 F.2.2), from its bytes or its decoded text.</summary>
    private static void WritePersonName<T>(JsonUtf8Buffer writer, ReadOnlySpan<T> value, T groupDelimiter)
        where T : unmanaged, IEquatable<T>
    {
        writer.Raw((byte)'{');
        var group = 0;
        var first = true;
        foreach (var range in value.Split(groupDelimiter))
        {
            var part = value[range];
            if (part.Length > 0)
            {
                if (!first) writer.Raw((byte)',');
                first = false;
                writer.PropertyName(ComponentGroup(group));
                // Compiled apart for bytes and chars, so the test costs nothing.
                if (typeof(T) == typeof(byte)) writer.String(MemoryMarshal.Cast<T, byte>(part));
                else writer.String(MemoryMarshal.Cast<T, char>(part));
            }

            if (++group == 3) break;
        }

        writer.Raw((byte)'}');
    }

    private static ReadOnlySpan<byte> ComponentGroup(int group) => group switch { 0 => "Alphabetic"u8, 1 => "Ideographic"u8, _ => "Phonetic"u8 };

    private static void WriteText(JsonUtf8Buffer writer, ReadOnlySpan<char> value, DicomVR vr)
    {
        if (value.IsEmpty)
        {
            writer.Raw("null"u8);
        }
        else if (vr == DicomVR.PN)
        {
            WritePersonName(writer, value, '=');
        }
        else if (vr is DicomVR.DS or DicomVR.IS && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
        {
            writer.Number(number);
        }
        else
        {
            writer.String(value);
        }
    }
}
