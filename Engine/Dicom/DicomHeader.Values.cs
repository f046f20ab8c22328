using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Nccid.Batch.Dicom;

/// <summary>Value access: bytes, text, numbers and dates, decoded on demand from the recorded offsets.</summary>
public sealed partial class DicomHeader
{
    private const byte Backslash = (byte)'\\';

    /// <summary>The raw value bytes of element <paramref name="index"/> (empty for sequences and undefined lengths).</summary>
    public ReadOnlySpan<byte> ValueBytes(int index)
    {
        ref readonly var e = ref _elements[index];
        if (e.HasUndefinedLength || e.IsSequence || e.IsItem) return default;
        return Data.Span.Slice(e.ValueOffset, (int)e.Length);
    }

    /// <summary>The value bytes without the padding of string VRs (trailing spaces and NULs, leading spaces where insignificant).</summary>
    public ReadOnlySpan<byte> TrimmedValue(int index) => DicomVRInfo.TrimValue(ValueBytes(index), _elements[index].VR, (byte)' ', (byte)0);

    /// <summary>The text of a top-level element (all values, backslash-separated), or null when absent.</summary>
    public string? GetString(uint tag)
    {
        var index = FindTopLevel(tag);
        return index < 0 ? null : GetStringAt(index);
    }

    /// <summary>The text of element <paramref name="index"/>; binary values are formatted invariantly and joined by backslashes.</summary>
    public string GetStringAt(int index)
    {
        ref readonly var e = ref _elements[index];
        if (DicomVRInfo.IsString(e.VR) || e.VR is DicomVR.None or DicomVR.UN)
        {
            var value = TrimmedValue(index);
            if (value.IsEmpty) return string.Empty;
            return DicomVRInfo.UsesSpecificCharacterSet(e.VR) ? CharacterSetAt(index).Decode(value, e.VR) : Encoding.Latin1.GetString(value);
        }

        var count = BinaryValueCount(index);
        if (count == 0) return string.Empty;
        var sb = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            if (i > 0) sb.Append('\\');
            if (e.VR == DicomVR.AT)
            {
                var tag = ReadBinaryTag(index, i);
                sb.Append(tag.ToString("X8", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(ReadBinaryNumber(index, i).ToString("R", CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    /// <summary>The values of a top-level element split at backslashes and trimmed, or null when absent.</summary>
    public string[]? GetStrings(uint tag)
    {
        var index = FindTopLevel(tag);
        return index < 0 ? null : GetStringsAt(index);
    }

    /// <summary>The values of element <paramref name="index"/>; an empty value gives an empty array.</summary>
    public string[] GetStringsAt(int index)
    {
        var text = GetStringAt(index);
        if (text.Length == 0) return [];
        var vr = _elements[index].VR;
        if (DicomVRInfo.IsSingleValuedText(vr)) return [text];
        var parts = text.Split('\\');
        for (var i = 0; i < parts.Length; i++) parts[i] = DicomVRInfo.TrimValue(parts[i].AsSpan(), vr, ' ', '\0').ToString();
        return parts;
    }

    /// <summary>Reads the first value of a top-level IS, DS or binary integer element as an integer.</summary>
    public bool TryGetInt32(uint tag, out int value)
    {
        value = 0;
        var index = FindTopLevel(tag);
        if (index < 0) return false;
        ref readonly var e = ref _elements[index];
        if (DicomVRInfo.BinaryValueSize(e.VR) > 0 && e.VR is not DicomVR.FL and not DicomVR.FD and not DicomVR.OF and not DicomVR.OD)
        {
            if (BinaryValueCount(index) == 0) return false;
            var number = ReadBinaryNumber(index, 0);
            if (number is < int.MinValue or > int.MaxValue) return false;
            value = (int)number;
            return true;
        }

        var first = FirstValue(TrimmedValue(index));
        if (first.IsEmpty) return false;
        if (int.TryParse(first, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value)) return true;

        // IS written as "12.0" or "1e2" by some writers: accept when integral.
        if (double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue)
        {
            value = (int)d;
            return true;
        }

        return false;
    }

    /// <summary>Reads the first value of a top-level DS, IS or binary numeric element.</summary>
    public bool TryGetDouble(uint tag, out double value)
    {
        value = 0;
        var index = FindTopLevel(tag);
        if (index < 0) return false;
        if (DicomVRInfo.BinaryValueSize(_elements[index].VR) > 0)
        {
            if (BinaryValueCount(index) == 0) return false;
            value = ReadBinaryNumber(index, 0);
            return true;
        }

        var first = FirstValue(TrimmedValue(index));
        return !first.IsEmpty && TryParseDecimal(first, out value);
    }

    /// <summary>All values of a top-level numeric element; null when absent or when any value is not a number.</summary>
    public double[]? GetDoubles(uint tag)
    {
        var index = FindTopLevel(tag);
        if (index < 0) return null;
        if (DicomVRInfo.BinaryValueSize(_elements[index].VR) > 0)
        {
            var count = BinaryValueCount(index);
            var result = new double[count];
            for (var i = 0; i < count; i++) result[i] = ReadBinaryNumber(index, i);
            return result;
        }

        var value = TrimmedValue(index);
        if (value.IsEmpty) return [];
        var n = value.Count(Backslash) + 1;
        var values = new double[n];
        for (var i = 0; i < n; i++)
        {
            var sep = value.IndexOf(Backslash);
            var part = sep < 0 ? value : value[..sep];
            if (!TryParseDecimal(part.Trim((byte)' '), out values[i])) return null;
            value = sep < 0 ? default : value[(sep + 1)..];
        }

        return values;
    }

    /// <summary>Reads a top-level DA element as a date (YYYYMMDD, or the ACR-NEMA form YYYY.MM.DD).</summary>
    public bool TryGetDate(uint tag, out DateOnly date)
    {
        date = default;
        var index = FindTopLevel(tag);
        if (index < 0) return false;
        return TryParseDate(FirstValue(TrimmedValue(index)), out date);
    }

    /// <summary>Parses a DA value; false for anything that is not a valid calendar date.</summary>
    public static bool TryParseDate(ReadOnlySpan<byte> value, out DateOnly date)
    {
        date = default;
        if (value.Length == 10 && value[4] == (byte)'.' && value[7] == (byte)'.')
        {
            Span<byte> compact = stackalloc byte[8];
            value[..4].CopyTo(compact);
            value.Slice(5, 2).CopyTo(compact[4..]);
            value.Slice(8, 2).CopyTo(compact[6..]);
            return TryParseDate(compact, out date);
        }

        if (value.Length != 8) return false;
        foreach (var b in value)
        {
            if (b is < (byte)'0' or > (byte)'9') return false;
        }

        var year = Digits(value[..4]);
        var month = Digits(value.Slice(4, 2));
        var day = Digits(value.Slice(6, 2));
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)) return false;
        date = new DateOnly(year, month, day);
        return true;
    }

    /// <summary>The number of binary values in element <paramref name="index"/>.</summary>
    public int BinaryValueCount(int index)
    {
        var size = DicomVRInfo.BinaryValueSize(_elements[index].VR);
        return size == 0 ? 0 : ValueBytes(index).Length / size;
    }

    /// <summary>Reads binary value <paramref name="i"/> of element <paramref name="index"/> as a double.</summary>
    public double ReadBinaryNumber(int index, int i)
    {
        ref readonly var e = ref _elements[index];
        var big = e.IsBigEndian;
        var size = DicomVRInfo.BinaryValueSize(e.VR);
        var bytes = ValueBytes(index).Slice(i * size, size);
        return e.VR switch
        {
            DicomVR.US or DicomVR.OW => big ? BinaryPrimitives.ReadUInt16BigEndian(bytes) : BinaryPrimitives.ReadUInt16LittleEndian(bytes),
            DicomVR.SS => big ? BinaryPrimitives.ReadInt16BigEndian(bytes) : BinaryPrimitives.ReadInt16LittleEndian(bytes),
            DicomVR.UL or DicomVR.OL => big ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt32LittleEndian(bytes),
            DicomVR.SL => big ? BinaryPrimitives.ReadInt32BigEndian(bytes) : BinaryPrimitives.ReadInt32LittleEndian(bytes),
            DicomVR.FL or DicomVR.OF => big ? BinaryPrimitives.ReadSingleBigEndian(bytes) : BinaryPrimitives.ReadSingleLittleEndian(bytes),
            DicomVR.FD or DicomVR.OD => big ? BinaryPrimitives.ReadDoubleBigEndian(bytes) : BinaryPrimitives.ReadDoubleLittleEndian(bytes),
            DicomVR.SV => big ? BinaryPrimitives.ReadInt64BigEndian(bytes) : BinaryPrimitives.ReadInt64LittleEndian(bytes),
            DicomVR.UV or DicomVR.OV => big ? BinaryPrimitives.ReadUInt64BigEndian(bytes) : BinaryPrimitives.ReadUInt64LittleEndian(bytes),
            DicomVR.AT => ReadBinaryTag(index, i),
            _ => 0,
        };
    }

    /// <summary>Reads AT value <paramref name="i"/> of element <paramref name="index"/>.</summary>
    public uint ReadBinaryTag(int index, int i)
    {
        var bytes = ValueBytes(index).Slice(i * 4, 4);
        return DicomParser.ReadTag(bytes, 0, _elements[index].IsBigEndian);
    }

    private static ReadOnlySpan<byte> FirstValue(ReadOnlySpan<byte> value)
    {
        var sep = value.IndexOf(Backslash);
        return (sep < 0 ? value : value[..sep]).Trim((byte)' ');
    }

    private static bool TryParseDecimal(ReadOnlySpan<byte> text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    private static int Digits(ReadOnlySpan<byte> digits)
    {
        var n = 0;
        foreach (var b in digits) n = (n * 10) + (b - '0');
        return n;
    }
}
