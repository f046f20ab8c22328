namespace Nccid.Batch.Dicom;

/// <summary>Encoding facts recorded with each element.</summary>
[Flags]
public enum DicomElementFlags : byte
{
    /// <summary>Nothing special.</summary>
    None = 0,

    /// <summary>Binary values are big endian.</summary>
    BigEndian = 1,

    /// <summary>The element belongs to the file meta information group.</summary>
    FileMeta = 2,

    /// <summary>The element is a sequence whose items follow it in the element list.</summary>
    Sequence = 4,

    /// <summary>Encoded as UN; <see cref="DicomElement.VR"/> holds the VR recovered from the dictionary.</summary>
    RecoveredFromUN = 8,

    /// <summary>The element was read with implicit VR.</summary>
    ImplicitVR = 16,

    /// <summary>Encapsulated pixel data (fragments), whose value is not recorded.</summary>
    Encapsulated = 32,
}
