using Nccid.Batch.Dicom;

namespace Nccid.Batch.Synthetic;

/// <summary>
/// A reserved private block (gggg,xx00-xxFF) of a <see cref="DicomDataSetBuilder"/>, whose creator element
/// (gggg,00xx) has been written; elements are addressed by their low byte.
/// </summary>
public readonly struct DicomPrivateBlock
{
    private readonly DicomDataSetBuilder _owner;

    internal DicomPrivateBlock(DicomDataSetBuilder owner, ushort group, byte block)
    {
        _owner = owner;
        Group = group;
        Block = block;
    }

    /// <summary>The private group number (odd).</summary>
    public ushort Group { get; }

    /// <summary>The block number (0x10-0xFF): the low byte of the creator element.</summary>
    public byte Block { get; }

    /// <summary>The tag of element <paramref name="offset"/> of this block: (group, block &lt;&lt; 8 | offset).</summary>
    public DicomTag TagOf(byte offset) => new(Group, (ushort)((Block << 8) | offset));

    /// <summary>Adds a string element to the block.</summary>
    public DicomPrivateBlock AddString(byte offset, DicomVR vr, string value)
    {
        _owner.AddString(TagOf(offset), vr, value);
        return this;
    }

    /// <summary>Adds unsigned 16-bit values to the block.</summary>
    public DicomPrivateBlock AddUInt16(byte offset, params ReadOnlySpan<ushort> values)
    {
        _owner.AddUInt16(TagOf(offset), values);
        return this;
    }

    /// <summary>Adds unsigned 32-bit values to the block.</summary>
    public DicomPrivateBlock AddUInt32(byte offset, params ReadOnlySpan<uint> values)
    {
        _owner.AddUInt32(TagOf(offset), values);
        return this;
    }

    /// <summary>Adds double-precision values to the block.</summary>
    public DicomPrivateBlock AddFloat64(byte offset, params ReadOnlySpan<double> values)
    {
        _owner.AddFloat64(TagOf(offset), values);
        return this;
    }

    /// <summary>Adds a byte value (OB, OW or UN) to the block.</summary>
    public DicomPrivateBlock AddBytes(byte offset, DicomVR vr, ReadOnlyMemory<byte> value)
    {
        _owner.AddBytes(TagOf(offset), vr, value);
        return this;
    }
}
