using System.Collections.Frozen;

namespace Nccid.Batch.Clinical;

/// <summary>
/// Reads smoking status as Never, Former, Current or Unknown. Codes 0 = never, 1 = former, 2 = current (the
/// NCCID form's order); words such as non-smoker, ex-smoker, ex, current smoker, and "yes" or "y" (a yes/no answer
/// to "smoker?") for current. "No" or "n" to that question does not tell a former smoker from one who never smoked,
/// so it gives Unknown, as do a present but blank value and not known.
/// </summary>
public static class SmokingNormaliser
{
    private static readonly FrozenDictionary<string, string> Words = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["0"] = "Never", ["never"] = "Never", ["neversmoked"] = "Never", ["nonsmoker"] = "Never", ["neversmoker"] = "Never",
        ["1"] = "Former", ["former"] = "Former", ["exsmoker"] = "Former", ["ex"] = "Former", ["formersmoker"] = "Former", ["previous"] = "Former",
        ["2"] = "Current", ["current"] = "Current", ["currentsmoker"] = "Current", ["yes"] = "Current", ["y"] = "Current", ["smoker"] = "Current",
        ["unknown"] = "Unknown", ["notknown"] = "Unknown", ["unk"] = "Unknown", ["notstated"] = "Unknown", ["no"] = "Unknown", ["n"] = "Unknown",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Normalises one raw smoking status.</summary>
    public static Normalised<string> Normalise(ClinicalInput input)
    {
        if (input.Kind == ClinicalInputKind.Null)
        {
            return Normalised<string>.Blank("smoking.null", "null");
        }

        if (input.IsBlank)
        {
            return Normalised<string>.Changed("Unknown", "smoking.blank", "blank text", "smoking status");
        }

        var text = input.Text.Trim();
        if (text is "Never" or "Former" or "Current" or "Unknown")
        {
            return Normalised<string>.Same(text, "smoking.status", "smoking status");
        }

        var key = TextKey.Fold(text);
        if (!Words.TryGetValue(key, out var status))
        {
            return Normalised<string>.Rejected("smoking.unreadable", "text", "not a smoking status");
        }

        var inputClass = key.Length == 1 && char.IsAsciiDigit(key[0]) ? "smoking code 0/1/2" : "smoking word";
        return Normalised<string>.Changed(status, key.Length == 1 ? "smoking.code" : "smoking.word", inputClass, "smoking status");
    }
}
