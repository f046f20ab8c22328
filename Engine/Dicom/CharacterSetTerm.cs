using System.Collections.Frozen;
using System.Text;

namespace Nccid.Batch.Dicom;

/// <summary>
/// One defined term of Specific Character Set (0008,0005), PS3.3 Tables C.12-2 to C.12-5: what it
/// designates to G0 and G1, or the encoding that decodes a whole value when it allows no code extensions.
/// </summary>
internal sealed class CharacterSetTerm
{
    private static readonly FrozenDictionary<string, CharacterSetTerm> ByNormalisedName = BuildRegistry();

    private CharacterSetTerm(
        string name, bool usesCodeExtensions, G0CodeElement g0, G1CodeElement? g1, Encoding? wholeValue, bool standAlone)
    {
        Name = name;
        UsesCodeExtensions = usesCodeExtensions;
        G0 = g0;
        G1 = g1;
        WholeValueEncoding = wholeValue;
        IsStandAlone = standAlone;
    }

    /// <summary>The standard's spelling of the term.</summary>
    public string Name { get; }

    /// <summary>True for the "ISO 2022 ..." terms, which allow escape sequences inside a value.</summary>
    public bool UsesCodeExtensions { get; }

    /// <summary>The set this term designates to G0 (ASCII unless it is a two-byte Japanese set).</summary>
    public G0CodeElement G0 { get; }

    /// <summary>The set this term designates to G1, or null when it designates none.</summary>
    public G1CodeElement? G1 { get; }

    /// <summary>The encoding for a whole value when this term is the only one, or null to use the G1 table.</summary>
    public Encoding? WholeValueEncoding { get; }

    /// <summary>True for UTF-8, GB18030 and GBK, which cannot be combined with code extensions (PS3.5 §6.1.2.5.4 d).</summary>
    public bool IsStandAlone { get; }

    /// <summary>
    /// Finds a term, forgiving case and the separators ' ', '_' and '-' that writers often mix up
    /// ("ISO IR 100", "ISO-IR 100", "iso_ir 100" all mean ISO_IR 100).
    /// </summary>
    public static bool TryFind(string term, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CharacterSetTerm? found) =>
        ByNormalisedName.TryGetValue(Normalise(term), out found);

    private static string Normalise(string term)
    {
        var builder = new StringBuilder(term.Length);
        foreach (var c in term)
        {
            if (c is not (' ' or '_' or '-'))
            {
                builder.Append(char.ToUpperInvariant(c));
            }
        }

        return builder.ToString();
    }

    private static FrozenDictionary<string, CharacterSetTerm> BuildRegistry()
    {
        var terms = new List<CharacterSetTerm>
        {
            new(string.Empty, false, G0CodeElement.Ascii, null, null, false),
            new("ISO_IR 6", false, G0CodeElement.Ascii, null, null, false),
            new("ISO_IR 100", false, G0CodeElement.Ascii, G1CodeElement.Latin1, null, false),
            new("ISO_IR 101", false, G0CodeElement.Ascii, G1CodeElement.Latin2, null, false),
            new("ISO_IR 109", false, G0CodeElement.Ascii, G1CodeElement.Latin3, null, false),
            new("ISO_IR 110", false, G0CodeElement.Ascii, G1CodeElement.Latin4, null, false),
            new("ISO_IR 144", false, G0CodeElement.Ascii, G1CodeElement.Cyrillic, null, false),
            new("ISO_IR 127", false, G0CodeElement.Ascii, G1CodeElement.Arabic, null, false),
            new("ISO_IR 126", false, G0CodeElement.Ascii, G1CodeElement.Greek, null, false),
            new("ISO_IR 138", false, G0CodeElement.Ascii, G1CodeElement.Hebrew, null, false),
            new("ISO_IR 148", false, G0CodeElement.Ascii, G1CodeElement.Latin5, null, false),
            new("ISO_IR 203", false, G0CodeElement.Ascii, G1CodeElement.Latin9, null, false),
            new("ISO_IR 166", false, G0CodeElement.Ascii, G1CodeElement.Thai, null, false),
            // Alone, ISO_IR 13 is read as Shift_JIS: identical on its own repertoire, and it recovers the
            // kanji that some writers put in values labelled ISO_IR 13.
            new("ISO_IR 13", false, G0CodeElement.Ascii, G1CodeElement.Katakana, DicomEncodings.ShiftJis, false),
            new("ISO_IR 192", false, G0CodeElement.Ascii, null, DicomEncodings.Utf8, true),
            new("GB18030", false, G0CodeElement.Ascii, null, DicomEncodings.Gb18030, true),
            new("GBK", false, G0CodeElement.Ascii, null, DicomEncodings.Gbk, true),
            new("ISO 2022 IR 6", true, G0CodeElement.Ascii, null, null, false),
            new("ISO 2022 IR 100", true, G0CodeElement.Ascii, G1CodeElement.Latin1, null, false),
            new("ISO 2022 IR 101", true, G0CodeElement.Ascii, G1CodeElement.Latin2, null, false),
            new("ISO 2022 IR 109", true, G0CodeElement.Ascii, G1CodeElement.Latin3, null, false),
            new("ISO 2022 IR 110", true, G0CodeElement.Ascii, G1CodeElement.Latin4, null, false),
            new("ISO 2022 IR 144", true, G0CodeElement.Ascii, G1CodeElement.Cyrillic, null, false),
            new("ISO 2022 IR 127", true, G0CodeElement.Ascii, G1CodeElement.Arabic, null, false),
            new("ISO 2022 IR 126", true, G0CodeElement.Ascii, G1CodeElement.Greek, null, false),
            new("ISO 2022 IR 138", true, G0CodeElement.Ascii, G1CodeElement.Hebrew, null, false),
            new("ISO 2022 IR 148", true, G0CodeElement.Ascii, G1CodeElement.Latin5, null, false),
            new("ISO 2022 IR 203", true, G0CodeElement.Ascii, G1CodeElement.Latin9, null, false),
            new("ISO 2022 IR 166", true, G0CodeElement.Ascii, G1CodeElement.Thai, null, false),
            new("ISO 2022 IR 13", true, G0CodeElement.Ascii, G1CodeElement.Katakana, null, false),
            new("ISO 2022 IR 87", true, G0CodeElement.JisX0208, null, null, false),
            new("ISO 2022 IR 159", true, G0CodeElement.JisX0212, null, null, false),
            new("ISO 2022 IR 149", true, G0CodeElement.Ascii, G1CodeElement.KsX1001, null, false),
            new("ISO 2022 IR 58", true, G0CodeElement.Ascii, G1CodeElement.Gb2312, null, false),
        };
        var byName = new Dictionary<string, CharacterSetTerm>(StringComparer.Ordinal);
        foreach (var term in terms)
        {
            byName.Add(Normalise(term.Name), term);
        }

        return byName.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
