using System.Collections.Frozen;

namespace Nccid.Batch.Dicom;

/// <summary>
/// The standard's data dictionary: VR, VM, keyword and retirement of every public attribute (PS3.6
/// Section 6, PS3.7 Annex E). The tables are generated from dcmtk's dictionary by
/// scripts/generate-dictionary.py; a parser reading implicit-VR data calls <see cref="LookupVR"/> per element.
/// </summary>
public static partial class DicomDictionary
{
    private const uint ExactMask = uint.MaxValue;

    /// <summary>The number of entries: exact tags plus repeating-group and element-range entries.</summary>
    public static int Count => ExactCount + MaskedEntries.Length;

    /// <summary>
    /// Finds the entry for <paramref name="tag"/>: the exact entry if there is one, otherwise the masked
    /// entry whose range holds it (its <see cref="DicomDictionaryEntry.Tag"/> is then the range's pattern).
    /// Private tags and group lengths outside the dictionary are not found; <see cref="LookupVR"/> knows their VRs.
    /// </summary>
    public static bool TryGet(uint tag, out DicomDictionaryEntry entry)
    {
        var index = ExactTags.BinarySearch(tag);
        if (index >= 0)
        {
            entry = new DicomDictionaryEntry(
                tag, ExactMask, ExactVRs[index], ExactAlternateVRs[index], VMs[ExactVMIndexes[index]],
                KeywordsByIndex.Values[index], ExactRetired[index]);
            return true;
        }

        foreach (var masked in MaskedEntries)
        {
            if (masked.Matches(tag))
            {
                entry = masked;
                return true;
            }
        }

        entry = default;
        return false;
    }

    /// <summary>
    /// The VR an implicit-VR data set gives <paramref name="tag"/>, without allocating: UL for a group length
    /// (gggg,0000); LO for a private creator (odd group above 7, element 0010-00FF); <see cref="DicomVR.None"/>
    /// for other private tags and for tags the dictionary does not know. Where the standard allows "OB or OW"
    /// the answer is OW, the only choice implicit VR Little Endian permits (PS3.5 Annex A.1).
    /// </summary>
    public static DicomVR LookupVR(uint tag)
    {
        var element = tag & 0xFFFF;
        if (element == 0)
        {
            return DicomVR.UL;
        }

        var group = tag >> 16;
        if ((group & 1) == 1 && group > 7 && group != 0xFFFF)
        {
            return element is >= 0x0010 and <= 0x00FF ? DicomVR.LO : DicomVR.None;
        }

        return TryGetVRs(tag, out var vr, out var alternate) ? ImplicitVR(vr, alternate) : DicomVR.None;
    }

    /// <summary>
    /// Finds the tag of a keyword, e.g. "PatientID" gives 0x00100020. A repeating-group keyword gives the
    /// first tag of its range (OverlayData gives 0x60003000).
    /// </summary>
    public static bool TryGetTag(string keyword, out uint tag)
    {
        ArgumentNullException.ThrowIfNull(keyword);
        return TagsByKeyword.Values.TryGetValue(keyword, out tag);
    }

    /// <summary>The keyword of <paramref name="tag"/> (exact or by range), or null when the dictionary does not know it.</summary>
    public static string? GetKeyword(uint tag)
    {
        var index = ExactTags.BinarySearch(tag);
        if (index >= 0)
        {
            return KeywordsByIndex.Values[index];
        }

        foreach (var masked in MaskedEntries)
        {
            if (masked.Matches(tag))
            {
                return masked.Keyword;
            }
        }

        return null;
    }

    /// <summary>True when the dictionary gives <paramref name="tag"/> the VR "US or SS", which Pixel Representation decides.</summary>
    public static bool IsUSOrSS(uint tag) => TryGetVRs(tag, out var vr, out var alternate) && vr == DicomVR.US && alternate == DicomVR.SS;

    /// <summary>The VR and alternate VR of the exact or masked entry for <paramref name="tag"/>, without allocating.</summary>
    private static bool TryGetVRs(uint tag, out DicomVR vr, out DicomVR alternate)
    {
        var index = ExactTags.BinarySearch(tag);
        if (index >= 0)
        {
            (vr, alternate) = (ExactVRs[index], ExactAlternateVRs[index]);
            return true;
        }

        foreach (var masked in MaskedEntries)
        {
            if (masked.Matches(tag))
            {
                (vr, alternate) = (masked.VR, masked.AlternateVR);
                return true;
            }
        }

        (vr, alternate) = (DicomVR.None, DicomVR.None);
        return false;
    }

    private static DicomVR ImplicitVR(DicomVR vr, DicomVR alternate) =>
        vr == DicomVR.OB && alternate == DicomVR.OW ? DicomVR.OW : vr;

    /// <summary>Keywords of the exact entries, split out of the generated text on first use.</summary>
    private static class KeywordsByIndex
    {
        // TrimEntries also drops a carriage return should the source be checked out with CRLF endings.
        internal static readonly string[] Values = Split();

        private static string[] Split()
        {
            var values = ExactKeywordLines.Split('\n', StringSplitOptions.TrimEntries);
            if (values.Length != ExactCount)
            {
                throw new InvalidOperationException(
                    $"The generated dictionary has {values.Length} keywords for {ExactCount} tags; run scripts/generate-dictionary.py.");
            }

            return values;
        }
    }

    /// <summary>Keyword to tag, built on first use so that parsing alone never pays for it.</summary>
    private static class TagsByKeyword
    {
        internal static readonly FrozenDictionary<string, uint> Values = Build();

        private static FrozenDictionary<string, uint> Build()
        {
            var keywords = KeywordsByIndex.Values;
            var tags = ExactTags;
            var pairs = new Dictionary<string, uint>(keywords.Length + MaskedEntries.Length, StringComparer.Ordinal);
            for (var i = 0; i < keywords.Length; i++)
            {
                pairs.Add(keywords[i], tags[i]);
            }

            foreach (var masked in MaskedEntries)
            {
                pairs.Add(masked.Keyword, masked.Tag);
            }

            return pairs.ToFrozenDictionary(StringComparer.Ordinal);
        }
    }
}
