namespace Nccid.Batch.Synthetic;

/// <summary>UIDs and encoding facts for <see cref="SyntheticTransferSyntax"/> values.</summary>
public static class SyntheticTransferSyntaxInfo
{
    /// <summary>The transfer syntax UID written into (0002,0010).</summary>
    public static string Uid(SyntheticTransferSyntax syntax) => syntax switch
    {
        SyntheticTransferSyntax.ExplicitVRLittleEndian => "1.2.840.10008.1.2.1",
        SyntheticTransferSyntax.ImplicitVRLittleEndian => "1.2.840.10008.1.2",
        SyntheticTransferSyntax.ExplicitVRBigEndian => "1.2.840.10008.1.2.2",
        SyntheticTransferSyntax.DeflatedExplicitVRLittleEndian => "1.2.840.10008.1.2.1.99",
        SyntheticTransferSyntax.JpegBaseline => "1.2.840.10008.1.2.4.50",
        SyntheticTransferSyntax.Jpeg2000 => "1.2.840.10008.1.2.4.90",
        _ => throw new ArgumentOutOfRangeException(nameof(syntax), syntax, "Unknown transfer syntax."),
    };

    /// <summary>True when elements carry their VR (every syntax except implicit VR little endian).</summary>
    public static bool IsExplicitVR(SyntheticTransferSyntax syntax) => syntax != SyntheticTransferSyntax.ImplicitVRLittleEndian;

    /// <summary>True when binary values and element headers are big endian.</summary>
    public static bool IsBigEndian(SyntheticTransferSyntax syntax) => syntax == SyntheticTransferSyntax.ExplicitVRBigEndian;

    /// <summary>True when the data set after the file meta group is a raw deflate stream.</summary>
    public static bool IsDeflated(SyntheticTransferSyntax syntax) => syntax == SyntheticTransferSyntax.DeflatedExplicitVRLittleEndian;

    /// <summary>True when pixel data is stored as an encapsulated sequence of fragments.</summary>
    public static bool IsEncapsulated(SyntheticTransferSyntax syntax) =>
        syntax is SyntheticTransferSyntax.JpegBaseline or SyntheticTransferSyntax.Jpeg2000;
}
