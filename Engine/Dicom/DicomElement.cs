namespace Nccid.Batch.Dicom;

/// <summary>
/// One element, item or sequence as found in a header: where its value lies, not the value itself, so that
/// parsing allocates nothing per element. Items are recorded with tag (FFFE,E000); delimiters are not recorded.
/// </summary>
/// <param name="Tag">The element's tag.</param>
/// <param name="VR">The VR as encoded (explicit) or from the dictionary (implicit); <see cref="DicomVR.None"/> if unknown.</param>
/// <param name="Flags">Encoding facts needed to read the value.</param>
/// <param name="Depth">0 for the top level; items and their elements are deeper.</param>
/// <param name="Parent">Index of the enclosing sequence (for an item) or item (for an element), or -1.</param>
/// <param name="ValueOffset">Offset of the value in the header buffer.</param>
/// <param name="Length">Declared value length; <see cref="UndefinedLength"/> for undefined.</param>
public readonly record struct DicomElement(uint Tag, DicomVR VR, DicomElementFlags Flags, int Depth, int Parent, int ValueOffset, uint Length)
{
    /// <summary>The undefined length marker, 0xFFFFFFFF.</summary>
    public const uint UndefinedLength = 0xFFFFFFFF;

    /// <summary>True for a sequence item record.</summary>
    public bool IsItem => Tag == DicomParser.ItemTag;

    /// <summary>True for a sequence (explicit SQ, implicit undefined length, or UN recovered as a sequence).</summary>
    public bool IsSequence => (Flags & DicomElementFlags.Sequence) != 0;

    /// <summary>True when the value is big endian.</summary>
    public bool IsBigEndian => (Flags & DicomElementFlags.BigEndian) != 0;

    /// <summary>True when the length was undefined.</summary>
    public bool HasUndefinedLength => Length == UndefinedLength;
}
