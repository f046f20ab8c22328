namespace Nccid.Batch.Dicom;

/// <summary>The character set designated to G0, the lower half (bytes 0x21-0x7E), PS3.5 §6.1.2.5.</summary>
internal enum G0CodeElement : byte
{
    /// <summary>ISO-IR 6 (ASCII), also standing for ISO-IR 14 (JIS X 0201 Romaji), which DICOM reads the same way.</summary>
    Ascii,

    /// <summary>ISO-IR 87, JIS X 0208 kanji: two 7-bit bytes per character.</summary>
    JisX0208,

    /// <summary>ISO-IR 159, JIS X 0212 supplementary kanji: two 7-bit bytes per character.</summary>
    JisX0212,
}
