namespace Nccid.Batch.Synthetic;

/// <summary>The transfer syntaxes <see cref="DicomFileWriter"/> can encode a data set in.</summary>
public enum SyntheticTransferSyntax
{
    /// <summary>Explicit VR Little Endian, 1.2.840.10008.1.2.1.</summary>
    ExplicitVRLittleEndian,

    /// <summary>Implicit VR Little Endian, 1.2.840.10008.1.2.</summary>
    ImplicitVRLittleEndian,

    /// <summary>Explicit VR Big Endian (retired, still received), 1.2.840.10008.1.2.2.</summary>
    ExplicitVRBigEndian,

    /// <summary>Deflated Explicit VR Little Endian, 1.2.840.10008.1.2.1.99.</summary>
    DeflatedExplicitVRLittleEndian,

    /// <summary>JPEG Baseline (Process 1), encapsulated pixel data, 1.2.840.10008.1.2.4.50.</summary>
    JpegBaseline,

    /// <summary>JPEG 2000 Image Compression, encapsulated pixel data, 1.2.840.10008.1.2.4.90.</summary>
    Jpeg2000,
}
