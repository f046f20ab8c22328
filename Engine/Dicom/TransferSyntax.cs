using System.Text;

namespace Nccid.Batch.Dicom;

/// <summary>How a data set is encoded on the wire, from its Transfer Syntax UID (PS3.5 §10, Annex A).</summary>
/// <param name="Uid">The Transfer Syntax UID, or empty when the file did not state one.</param>
/// <param name="ExplicitVR">True when each element carries its VR.</param>
/// <param name="BigEndian">True for the retired explicit VR big endian syntax.</param>
/// <param name="Deflated">True when the data set after the file meta group is a raw deflate stream.</param>
/// <param name="Encapsulated">True when Pixel Data is encapsulated (compressed fragments).</param>
/// <param name="Known">False when the UID is not a transfer syntax this reader knows; the encoding was then guessed.</param>
public sealed record TransferSyntax(string Uid, bool ExplicitVR, bool BigEndian, bool Deflated, bool Encapsulated, bool Known)
{
    /// <summary>Implicit VR Little Endian, the default transfer syntax.</summary>
    public static readonly TransferSyntax ImplicitVRLittleEndian = new("1.2.840.10008.1.2", false, false, false, false, true);

    /// <summary>Explicit VR Little Endian.</summary>
    public static readonly TransferSyntax ExplicitVRLittleEndian = new("1.2.840.10008.1.2.1", true, false, false, false, true);

    /// <summary>Explicit VR Big Endian (retired).</summary>
    public static readonly TransferSyntax ExplicitVRBigEndian = new("1.2.840.10008.1.2.2", true, true, false, false, true);

    /// <summary>Deflated Explicit VR Little Endian.</summary>
    public static readonly TransferSyntax DeflatedExplicitVRLittleEndian = new("1.2.840.10008.1.2.1.99", true, false, true, false, true);

    /// <summary>JPIP Referenced Deflate: the data set deflated as in <see cref="DeflatedExplicitVRLittleEndian"/>, the pixels referenced by URL (PS3.5 §A.6).</summary>
    public static readonly TransferSyntax JpipReferencedDeflate = new("1.2.840.10008.1.2.4.95", true, false, true, false, true);

    /// <summary>
    /// The compressed syntaxes archives mostly hold (JPEG, JPEG-LS, JPEG 2000, RLE, HTJ2K), kept so that reading
    /// one of them does not allocate a new UID string and record per file.
    /// </summary>
    private static readonly TransferSyntax[] CommonEncapsulated =
    [
        .. new[]
        {
            "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70",
            "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81", "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91",
            "1.2.840.10008.1.2.4.201", "1.2.840.10008.1.2.4.202", "1.2.840.10008.1.2.4.203", "1.2.840.10008.1.2.5",
        }.Select(uid => new TransferSyntax(uid, true, false, false, true, true)),
    ];

    /// <summary>Looks up a transfer syntax by its UID bytes (trailing padding already removed).</summary>
    /// <remarks>
    /// Every standard syntax other than the three native ones and deflate is explicit VR little endian with
    /// encapsulated pixel data (PS3.5 §A.4), so the family is recognised by prefix rather than listed one by one.
    /// </remarks>
    public static TransferSyntax FromUid(ReadOnlySpan<byte> uid)
    {
        if (uid.SequenceEqual("1.2.840.10008.1.2"u8)) return ImplicitVRLittleEndian;
        if (uid.SequenceEqual("1.2.840.10008.1.2.1"u8)) return ExplicitVRLittleEndian;
        if (uid.SequenceEqual("1.2.840.10008.1.2.2"u8)) return ExplicitVRBigEndian;
        if (uid.SequenceEqual("1.2.840.10008.1.2.1.99"u8)) return DeflatedExplicitVRLittleEndian;
        if (uid.SequenceEqual("1.2.840.10008.1.2.4.95"u8)) return JpipReferencedDeflate;
        foreach (var common in CommonEncapsulated)
        {
            if (Ascii.Equals(uid, common.Uid)) return common;
        }

        var text = Encoding.ASCII.GetString(uid);
        if (uid.StartsWith("1.2.840.10008.1.2.4."u8) || uid.StartsWith("1.2.840.10008.1.2.5"u8)
            || uid.StartsWith("1.2.840.10008.1.2.8."u8))
        {
            // Deflated image frame compression (1.2.840.10008.1.2.8.1) is encapsulated too.
            return new TransferSyntax(text, true, false, false, true, true);
        }

        if (uid.StartsWith("1.2.840.10008.1.2.7."u8) || uid.StartsWith("1.2.840.10008.1.2.6."u8))
        {
            // Encapsulated uncompressed (1.2.840.10008.1.2.1.98) is below; 1.2.6.x/1.2.7.x are RFC 2557 / JPIP-style.
            return new TransferSyntax(text, true, false, false, true, true);
        }

        if (uid.SequenceEqual("1.2.840.10008.1.2.1.98"u8))
        {
            return new TransferSyntax(text, true, false, false, true, true);
        }

        return new TransferSyntax(text, true, false, false, false, false);
    }
}
