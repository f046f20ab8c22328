using Nccid.Batch.Dicom;

namespace Nccid.Batch.Synthetic;

/// <summary>One element held by <see cref="DicomDataSetBuilder"/>: a value, a sequence or encapsulated pixel data.</summary>
internal sealed class WriterElement
{
    private WriterElement(DicomTag tag, DicomVR vr)
    {
        Tag = tag;
        VR = vr;
    }

    public DicomTag Tag { get; }

    public DicomVR VR { get; }

    /// <summary>The value bytes, already padded to even length, binary values in little-endian order.</summary>
    public ReadOnlyMemory<byte> Value { get; private init; }

    public IReadOnlyList<DicomDataSetBuilder>? Items { get; private init; }

    public bool UndefinedLength { get; private init; }

    public bool UndefinedItemLength { get; private init; }

    public IReadOnlyList<ReadOnlyMemory<byte>>? Fragments { get; private init; }

    public IReadOnlyList<uint>? BasicOffsets { get; private init; }

    public static WriterElement ForValue(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> value) =>
        new(tag, vr) { Value = value };

    public static WriterElement ForSequence(DicomTag tag, IReadOnlyList<DicomDataSetBuilder> items, bool undefinedLength, bool undefinedItemLength) =>
        new(tag, DicomVR.SQ) { Items = items, UndefinedLength = undefinedLength, UndefinedItemLength = undefinedItemLength };

    public static WriterElement ForFragments(DicomTag tag, IReadOnlyList<ReadOnlyMemory<byte>> fragments, IReadOnlyList<uint> offsets) =>
        new(tag, DicomVR.OB) { Fragments = fragments, BasicOffsets = offsets, UndefinedLength = true };
}
