using System.Collections.Frozen;

namespace Nccid.Batch.Clinical;

/// <summary>
/// Reads sex as F, M or U. Numeric codes follow ISO/IEC 5218, which NHS systems use: 0 = not known (U),
/// 1 = male (M), 2 = female (F), 9 = not applicable (U). Letters F/M/U/O and the words female, male,
/// woman, man, unknown, other, indeterminate are accepted in any case. Blank text gives null (not submitted),
/// which <see cref="DicomDemographics.FillFromDicom"/> may later fill from the images.
/// </summary>
public static class SexNormaliser
{
    private static readonly FrozenDictionary<string, string> Codes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["0"] = "U", ["1"] = "M", ["2"] = "F", ["9"] = "U",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string> Words = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["f"] = "F", ["female"] = "F", ["woman"] = "F", ["w"] = "F",
        ["m"] = "M", ["male"] = "M", ["man"] = "M",
        ["u"] = "U", ["unknown"] = "U", ["notknown"] = "U", ["o"] = "U", ["other"] = "U",
        ["indeterminate"] = "U", ["x"] = "U", ["notstated"] = "U",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Normalises one raw sex value.</summary>
    public static Normalised<string> Normalise(ClinicalInput input)
    {
        if (input.Kind == ClinicalInputKind.Null)
        {
            return Normalised<string>.Blank("sex.null", "null");
        }

        if (input.IsBlank)
        {
            return Normalised<string>.Blank("sex.blank", "blank text");
        }

        var text = input.Text.Trim();
        if (text is "F" or "M" or "U")
        {
            return Normalised<string>.Same(text, "sex.code", "sex code F/M/U");
        }

        var key = TextKey.Fold(text);
        if (Codes.TryGetValue(key, out var coded))
        {
            var inputClass = input.Kind == ClinicalInputKind.Number ? "numeric sex code" : "numeric sex code as text";
            return Normalised<string>.Changed(coded, "sex.numeric_code", inputClass, "sex code F/M/U");
        }

        return Words.TryGetValue(key, out var word)
            ? Normalised<string>.Changed(word, "sex.word", "sex word or letter", "sex code F/M/U")
            : Normalised<string>.Rejected("sex.unreadable", "text", "not a sex value");
    }
}
