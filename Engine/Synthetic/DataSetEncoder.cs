using System.Buffers;
using System.Buffers.Binary;
using Nccid.Batch.Dicom;

namespace Nccid.Batch.Synthetic;

/// <summary>Encodes a <see cref="DicomDataSetBuilder"/> onto a stream in one transfer syntax, counting bytes.</summary>
internal sealed class DataSetEncoder
{
    private const uint UndefinedLength = 0xFFFF_FFFF;
    private const ushort ItemGroup = 0xFFFE;
    private const ushort ItemElement = 0xE000;
    private const ushort ItemDelimiterElement = 0xE00D;
    private const ushort SequenceDelimiterElement = 0xE0DD;
    private static readonly DicomTag PixelData = new(0x7FE0, 0x0010);

    private readonly Stream _stream;
    private readonly bool _explicitVr;
    private readonly bool _bigEndian;

    public DataSetEncoder(Stream stream, long startPosition, bool explicitVr, bool bigEndian)
    {
        _stream = stream;
        Position = startPosition;
        _explicitVr = explicitVr;
        _bigEndian = bigEndian;
    }

    /// <summary>Bytes written so far, including the start position.</summary>
    public long Position { get; private set; }

    /// <summary>Where the top-level pixel data value starts, or -1 before it has been written.</summary>
    public long PixelDataValueOffset { get; private set; } = -1;

    public void WriteDataSet(DicomDataSetBuilder dataSet, bool topLevel)
    {
        var elements = dataSet.Elements;
        for (var i = 0; i < elements.Count; i++)
        {
            WriteElement(elements[i], topLevel);
        }
    }

    public long DataSetLength(DicomDataSetBuilder dataSet)
    {
        long total = 0;
        var elements = dataSet.Elements;
        for (var i = 0; i < elements.Count; i++)
        {
            total += ElementLength(elements[i]);
        }

        return total;
    }

    private long ElementLength(WriterElement element)
    {
        var header = HeaderLength(element.VR);
        if (element.Fragments is not null)
        {
            long total = header + 8 + (4L * element.BasicOffsets!.Count) + 8;
            foreach (var fragment in element.Fragments)
            {
                total += 8 + fragment.Length + (fragment.Length & 1);
            }

            return total;
        }

        if (element.Items is not null)
        {
            return header + SequenceValueLength(element) + (element.UndefinedLength ? 8 : 0);
        }

        return header + element.Value.Length;
    }

    private long SequenceValueLength(WriterElement sequence)
    {
        long total = 0;
        foreach (var item in sequence.Items!)
        {
            total += 8 + DataSetLength(item) + (sequence.UndefinedItemLength ? 8 : 0);
        }

        return total;
    }

    private int HeaderLength(DicomVR vr) => !_explicitVr || DicomVRInfo.HasLongLength(vr) ? (_explicitVr ? 12 : 8) : 8;

    private void WriteElement(WriterElement element, bool topLevel)
    {
        if (element.Fragments is not null)
        {
            WriteHeader(element.Tag, element.VR, UndefinedLength);
            if (topLevel && element.Tag == PixelData)
            {
                PixelDataValueOffset = Position;
            }

            var offsets = element.BasicOffsets!;
            WriteItemHeader(ItemElement, (uint)(offsets.Count * 4));
            Span<byte> word = stackalloc byte[4];
            foreach (var offset in offsets)
            {
                // Fragment framing (offset table, item lengths) is little endian: encapsulation is only defined for LE syntaxes.
                BinaryPrimitives.WriteUInt32LittleEndian(word, offset);
                WriteRaw(word);
            }

            foreach (var fragment in element.Fragments)
            {
                var padding = fragment.Length & 1;
                WriteItemHeader(ItemElement, (uint)(fragment.Length + padding));
                WriteRaw(fragment.Span);
                if (padding == 1)
                {
                    WriteRaw([0]);
                }
            }

            WriteItemHeader(SequenceDelimiterElement, 0);
            return;
        }

        if (element.Items is not null)
        {
            WriteHeader(element.Tag, element.VR, element.UndefinedLength ? UndefinedLength : checked((uint)SequenceValueLength(element)));
            foreach (var item in element.Items)
            {
                WriteItemHeader(ItemElement, element.UndefinedItemLength ? UndefinedLength : checked((uint)DataSetLength(item)));
                WriteDataSet(item, topLevel: false);
                if (element.UndefinedItemLength)
                {
                    WriteItemHeader(ItemDelimiterElement, 0);
                }
            }

            if (element.UndefinedLength)
            {
                WriteItemHeader(SequenceDelimiterElement, 0);
            }

            return;
        }

        WriteHeader(element.Tag, element.VR, checked((uint)element.Value.Length));
        if (topLevel && element.Tag == PixelData)
        {
            PixelDataValueOffset = Position;
        }

        WriteValue(element.VR, element.Value.Span);
    }

    private void WriteHeader(DicomTag tag, DicomVR vr, uint length)
    {
        Span<byte> header = stackalloc byte[12];
        WriteUInt16(header, tag.Group);
        WriteUInt16(header[2..], tag.Element);
        if (!_explicitVr)
        {
            WriteUInt32(header[4..], length);
            WriteRaw(header[..8]);
            return;
        }

        header[4] = (byte)((ushort)vr >> 8);
        header[5] = (byte)vr;
        if (DicomVRInfo.HasLongLength(vr))
        {
            header[6] = 0;
            header[7] = 0;
            WriteUInt32(header[8..], length);
            WriteRaw(header);
        }
        else
        {
            WriteUInt16(header[6..], checked((ushort)length));
            WriteRaw(header[..8]);
        }
    }

    private void WriteItemHeader(ushort element, uint length)
    {
        Span<byte> header = stackalloc byte[8];
        WriteUInt16(header, ItemGroup);
        WriteUInt16(header[2..], element);
        WriteUInt32(header[4..], length);
        WriteRaw(header);
    }

    private void WriteValue(DicomVR vr, ReadOnlySpan<byte> value)
    {
        var unit = vr == DicomVR.AT ? 2 : DicomVRInfo.BinaryValueSize(vr);
        if (!_bigEndian || unit <= 1)
        {
            WriteRaw(value);
            return;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(value.Length, 64 * 1024));
        try
        {
            var chunk = buffer.Length - (buffer.Length % unit);
            for (var start = 0; start < value.Length; start += chunk)
            {
                var count = Math.Min(chunk, value.Length - start);
                var target = buffer.AsSpan(0, count);
                value.Slice(start, count).CopyTo(target);
                for (var i = 0; i + unit <= count; i += unit)
                {
                    target.Slice(i, unit).Reverse();
                }

                WriteRaw(target);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void WriteUInt16(Span<byte> target, ushort value)
    {
        if (_bigEndian)
        {
            BinaryPrimitives.WriteUInt16BigEndian(target, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(target, value);
        }
    }

    private void WriteUInt32(Span<byte> target, uint value)
    {
        if (_bigEndian)
        {
            BinaryPrimitives.WriteUInt32BigEndian(target, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(target, value);
        }
    }

    private void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        _stream.Write(bytes);
        Position += bytes.Length;
    }
}
