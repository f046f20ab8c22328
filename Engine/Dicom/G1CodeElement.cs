using System.Text;

namespace Nccid.Batch.Dicom;

/// <summary>
/// A character set invoked into the upper half (bytes 0x80-0xFF, G1 in PS3.5 §6.1.2.5): either one
/// character per byte through a 128-entry table, or a two-byte set decoded by a code page.
/// </summary>
internal sealed class G1CodeElement
{
    private G1CodeElement(string name, string? table, Encoding? multiByte)
    {
        Name = name;
        Table = table;
        MultiByte = multiByte;
    }

    /// <summary>The ISO-IR registration this element decodes, for diagnostics.</summary>
    public string Name { get; }

    /// <summary>The characters for bytes 0x80-0xFF, or null for a two-byte set.</summary>
    public string? Table { get; }

    /// <summary>The code page for a two-byte set whose bytes both have the high bit set, or null.</summary>
    public Encoding? MultiByte { get; }

    /// <summary>ISO-IR 100, Latin-1; also the lenient reading of high bytes when no G1 set is designated.</summary>
    public static G1CodeElement Latin1 { get; } = FromCodePage("ISO-IR 100", 28591);

    /// <summary>ISO-IR 101, Latin-2.</summary>
    public static G1CodeElement Latin2 { get; } = FromCodePage("ISO-IR 101", 28592);

    /// <summary>ISO-IR 109, Latin-3.</summary>
    public static G1CodeElement Latin3 { get; } = FromCodePage("ISO-IR 109", 28593);

    /// <summary>ISO-IR 110, Latin-4.</summary>
    public static G1CodeElement Latin4 { get; } = FromCodePage("ISO-IR 110", 28594);

    /// <summary>ISO-IR 144, Cyrillic.</summary>
    public static G1CodeElement Cyrillic { get; } = FromCodePage("ISO-IR 144", 28595);

    /// <summary>ISO-IR 127, Arabic.</summary>
    public static G1CodeElement Arabic { get; } = FromCodePage("ISO-IR 127", 28596);

    /// <summary>ISO-IR 126, Greek.</summary>
    public static G1CodeElement Greek { get; } = FromCodePage("ISO-IR 126", 28597);

    /// <summary>ISO-IR 138, Hebrew.</summary>
    public static G1CodeElement Hebrew { get; } = FromCodePage("ISO-IR 138", 28598);

    /// <summary>ISO-IR 148, Latin-5 (Turkish).</summary>
    public static G1CodeElement Latin5 { get; } = FromCodePage("ISO-IR 148", 28599);

    /// <summary>ISO-IR 203, Latin-9.</summary>
    public static G1CodeElement Latin9 { get; } = FromCodePage("ISO-IR 203", 28605);

    /// <summary>ISO-IR 166, Thai (TIS-620); Windows-874 is its superset.</summary>
    public static G1CodeElement Thai { get; } = FromCodePage("ISO-IR 166", 874);

    /// <summary>ISO-IR 13, JIS X 0201 half-width katakana at 0xA1-0xDF.</summary>
    public static G1CodeElement Katakana { get; } = new("ISO-IR 13", KatakanaTable(), null);

    /// <summary>ISO-IR 149, KS X 1001 (Korean), read as EUC-KR.</summary>
    public static G1CodeElement KsX1001 { get; } = new("ISO-IR 149", null, DicomEncodings.EucKr);

    /// <summary>ISO-IR 58, GB 2312 (simplified Chinese), read through its superset GBK.</summary>
    public static G1CodeElement Gb2312 { get; } = new("ISO-IR 58", null, DicomEncodings.Gbk);

    private static G1CodeElement FromCodePage(string name, int codePage)
    {
        var encoding = DicomEncodings.Get(codePage);
        Span<byte> one = stackalloc byte[1];
        Span<char> decoded = stackalloc char[4];
        var table = new char[128];
        for (var i = 0; i < table.Length; i++)
        {
            one[0] = (byte)(0x80 + i);
            var count = encoding.GetChars(one, decoded);
            table[i] = count == 1 ? decoded[0] : DicomEncodings.Replacement;
        }

        return new G1CodeElement(name, new string(table), null);
    }

    private static string KatakanaTable()
    {
        var table = new char[128];
        for (var i = 0; i < table.Length; i++)
        {
            var b = 0x80 + i;
            // JIS X 0201 katakana 0xA1-0xDF map in order onto U+FF61-U+FF9F (half-width forms).
            table[i] = b is >= 0xA1 and <= 0xDF ? (char)(0xFF61 + (b - 0xA1)) : DicomEncodings.Replacement;
        }

        return new string(table);
    }
}
