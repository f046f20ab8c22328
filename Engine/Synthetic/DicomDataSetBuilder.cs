using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Nccid.Batch.Dicom;

namespace Nccid.Batch.Synthetic;

/// <summary>
/// A small, write-only DICOM element model: elements are kept in ascending tag order, adding a tag that is
/// already present replaces it, and values are stored encoded (strings padded, binary values little endian)
/// so that <see cref="DicomFileWriter"/> only frames and, for big endian, byte-swaps them.
/// </summary>
public sealed class DicomDataSetBuilder
{
    private readonly List<WriterElement> _elements = [];

    /// <summary>Creates an empty data set whose text VRs (LO, PN, SH, ST, LT, UC, UT) use <paramref name="textEncoding"/>.</summary>
    /// <param name="textEncoding">The encoding matching the Specific Character Set; Latin-1 (ISO_IR 100) when null.</param>
    public DicomDataSetBuilder(Encoding? textEncoding = null)
    {
        TextEncoding = textEncoding ?? Encoding.Latin1;
    }

    /// <summary>The encoding of text VRs.</summary>
    public Encoding TextEncoding { get; }

    /// <summary>The number of top-level elements.</summary>
    public int Count => _elements.Count;

    internal IReadOnlyList<WriterElement> Elements => _elements;

    /// <summary>Creates an empty sequence item sharing this data set's text encoding.</summary>
    public DicomDataSetBuilder CreateItem() => new(TextEncoding);

    /// <summary>True when an element with <paramref name="tag"/> is present.</summary>
    public bool Contains(DicomTag tag) => IndexOf(tag) >= 0;

    /// <summary>Removes the element with <paramref name="tag"/>; false when it was absent.</summary>
    public bool Remove(DicomTag tag)
    {
        var index = IndexOf(tag);
        if (index < 0)
        {
            return false;
        }

        _elements.RemoveAt(index);
        return true;
    }

    /// <summary>The value of a string element without its padding, or null when absent or not a string.</summary>
    public string? GetString(DicomTag tag)
    {
        var index = IndexOf(tag);
        if (index < 0 || !DicomVRInfo.IsString(_elements[index].VR))
        {
            return null;
        }

        var element = _elements[index];
        var encoding = DicomVRInfo.UsesSpecificCharacterSet(element.VR) ? TextEncoding : Encoding.Latin1;
        return encoding.GetString(element.Value.Span).TrimEnd(' ', '\0');
    }

    /// <summary>Adds a string element; the value is padded to even length with a space, or a NUL for UI.</summary>
    public DicomDataSetBuilder AddString(DicomTag tag, DicomVR vr, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var encoding = DicomVRInfo.UsesSpecificCharacterSet(vr) ? TextEncoding : Encoding.Latin1;
        var length = encoding.GetByteCount(value);
        var bytes = new byte[length + (length & 1)];
        encoding.GetBytes(value, bytes);
        if ((length & 1) == 1)
        {
            bytes[length] = vr == DicomVR.UI ? (byte)0 : (byte)' ';
        }

        return Put(WriterElement.ForValue(tag, vr, bytes));
    }

    /// <summary>Adds an IS element from integers.</summary>
    public DicomDataSetBuilder AddIntegerString(DicomTag tag, params ReadOnlySpan<int> values)
    {
        var text = new StringBuilder();
        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0)
            {
                text.Append('\\');
            }

            text.Append(values[i].ToString(CultureInfo.InvariantCulture));
        }

        return AddString(tag, DicomVR.IS, text.ToString());
    }

    /// <summary>Adds a DS element from numbers, each formatted in at most 16 characters.</summary>
    public DicomDataSetBuilder AddDecimalString(DicomTag tag, params ReadOnlySpan<double> values)
    {
        var text = new StringBuilder();
        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0)
            {
                text.Append('\\');
            }

            text.Append(FormatDecimal(values[i]));
        }

        return AddString(tag, DicomVR.DS, text.ToString());
    }

    /// <summary>Adds a US element.</summary>
    public DicomDataSetBuilder AddUInt16(DicomTag tag, params ReadOnlySpan<ushort> values)
    {
        var bytes = new byte[values.Length * 2];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 2), values[i]);
        }

        return Put(WriterElement.ForValue(tag, DicomVR.US, bytes));
    }

    /// <summary>Adds an SS element.</summary>
    public DicomDataSetBuilder AddInt16(DicomTag tag, params ReadOnlySpan<short> values)
    {
        var bytes = new byte[values.Length * 2];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(i * 2), values[i]);
        }

        return Put(WriterElement.ForValue(tag, DicomVR.SS, bytes));
    }

    /// <summary>Adds a UL element.</summary>
    public DicomDataSetBuilder AddUInt32(DicomTag tag, params ReadOnlySpan<uint> values)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 4), values[i]);
        }

        return Put(WriterElement.ForValue(tag, DicomVR.UL, bytes));
    }

    /// <summary>Adds an FL element.</summary>
    public DicomDataSetBuilder AddFloat32(DicomTag tag, params ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        }

        return Put(WriterElement.ForValue(tag, DicomVR.FL, bytes));
    }

    /// <summary>Adds an FD element.</summary>
    public DicomDataSetBuilder AddFloat64(DicomTag tag, params ReadOnlySpan<double> values)
    {
        var bytes = new byte[values.Length * 8];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * 8), values[i]);
        }

        return Put(WriterElement.ForValue(tag, DicomVR.FD, bytes));
    }

    /// <summary>
    /// Adds an OB, OW or UN element. OW words are given in little-endian order; an odd-length value is copied
    /// and padded with a zero byte. The memory is referenced, not copied, until the file is written.
    /// </summary>
    public DicomDataSetBuilder AddBytes(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> value)
    {
        if ((value.Length & 1) == 1)
        {
            var padded = new byte[value.Length + 1];
            value.Span.CopyTo(padded);
            value = padded;
        }

        return Put(WriterElement.ForValue(tag, vr, value));
    }

    /// <summary>Adds a sequence of items, each a data set built with <see cref="CreateItem"/>.</summary>
    /// <param name="tag">The sequence tag.</param>
    /// <param name="items">The items, in order; none for an empty sequence.</param>
    /// <param name="undefinedLength">Write the sequence with undefined length and a sequence delimiter.</param>
    /// <param name="undefinedItemLength">Write each item with undefined length and an item delimiter.</param>
    public DicomDataSetBuilder AddSequence(DicomTag tag, IReadOnlyList<DicomDataSetBuilder> items, bool undefinedLength = false, bool undefinedItemLength = false)
    {
        ArgumentNullException.ThrowIfNull(items);
        return Put(WriterElement.ForSequence(tag, items, undefinedLength, undefinedItemLength));
    }

    /// <summary>
    /// Adds encapsulated Pixel Data (7FE0,0010): undefined length, a basic offset table item holding
    /// <paramref name="basicOffsets"/> (empty when null), one item per fragment and a sequence delimiter.
    /// </summary>
    public DicomDataSetBuilder AddEncapsulatedPixelData(IReadOnlyList<ReadOnlyMemory<byte>> fragments, IReadOnlyList<uint>? basicOffsets = null)
    {
        ArgumentNullException.ThrowIfNull(fragments);
        return Put(WriterElement.ForFragments(new DicomTag(0x7FE0, 0x0010), fragments, basicOffsets ?? []));
    }

    /// <summary>Reserves private block <paramref name="block"/> of <paramref name="group"/> by writing its creator (LO).</summary>
    public DicomPrivateBlock AddPrivateBlock(ushort group, byte block, string creator)
    {
        if ((group & 1) == 0 || group <= 7)
        {
            throw new ArgumentOutOfRangeException(nameof(group), group, "Private groups are odd and above 0007.");
        }

        if (block < 0x10)
        {
            throw new ArgumentOutOfRangeException(nameof(block), block, "Private blocks are numbered 0x10 to 0xFF.");
        }

        AddString(new DicomTag(group, block), DicomVR.LO, creator);
        return new DicomPrivateBlock(this, group, block);
    }

    internal static string FormatDecimal(double value)
    {
        // DS allows 16 characters; "R" keeps the value exact when it fits, otherwise fewer significant digits.
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        for (var digits = 15; text.Length > 16 && digits > 1; digits--)
        {
            text = value.ToString("G" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        }

        return text;
    }

    private DicomDataSetBuilder Put(WriterElement element)
    {
        var index = IndexOf(element.Tag);
        if (index >= 0)
        {
            _elements[index] = element;
        }
        else
        {
            _elements.Insert(~index, element);
        }

        return this;
    }

    private int IndexOf(DicomTag tag)
    {
        int low = 0, high = _elements.Count - 1;
        while (low <= high)
        {
            var mid = (low + high) >>> 1;
            var cmp = _elements[mid].Tag.Value.CompareTo(tag.Value);
            if (cmp == 0)
            {
                return mid;
            }

            if (cmp < 0)
            {
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }

        return ~low;
    }
}
