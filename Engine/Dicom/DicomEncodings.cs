using System.Text;

namespace Nccid.Batch.Dicom;

/// <summary>
/// The .NET encodings behind the DICOM character sets, each decoding undecodable bytes to U+FFFD so that
/// no value ever throws.
/// </summary>
internal static class DicomEncodings
{
    /// <summary>The replacement character written for bytes that no character set can decode.</summary>
    public const char Replacement = '\uFFFD';

    static DicomEncodings()
    {
        // The ISO 8859 parts, Thai, Shift_JIS, EUC-JP, EUC-KR and the Chinese code pages live in the
        // code-pages provider, which .NET does not register by default.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        ShiftJis = Get(932);
        EucJp = Get(51932);
        EucKr = Get(51949);
        Gbk = Get(936);
        Gb18030 = Get(54936);
    }

    /// <summary>UTF-8 (ISO_IR 192); invalid sequences become U+FFFD.</summary>
    public static Encoding Utf8 { get; } = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>Shift_JIS (code page 932), used for ISO_IR 13 without code extensions.</summary>
    public static Encoding ShiftJis { get; }

    /// <summary>EUC-JP (code page 51932): JIS X 0208 with the high bit of both bytes set.</summary>
    public static Encoding EucJp { get; }

    /// <summary>EUC-KR (code page 51949): KS X 1001 in the upper half.</summary>
    public static Encoding EucKr { get; }

    /// <summary>GBK (code page 936), a superset of GB 2312 in the upper half.</summary>
    public static Encoding Gbk { get; }

    /// <summary>GB 18030 (code page 54936).</summary>
    public static Encoding Gb18030 { get; }

    /// <summary>A code page whose decoder writes U+FFFD instead of throwing or guessing.</summary>
    public static Encoding Get(int codePage) =>
        Encoding.GetEncoding(codePage, EncoderFallback.ReplacementFallback, new DecoderReplacementFallback("\uFFFD"));
}
