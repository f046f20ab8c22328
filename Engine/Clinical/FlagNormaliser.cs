using System.Collections.Frozen;

namespace Nccid.Batch.Clinical;

/// <summary>
/// Reads yes/no fields: JSON true/false; 1/0 as numbers or text; yes/no words in any case (y, n, true, false);
/// the keyboard slips seen in submissions (<c>1es</c> for yes, <c>n0</c> for no). Blank text and explicit
/// unknowns (unknown, not known, n/a, 9) give null.
/// </summary>
public static class FlagNormaliser
{
    private static readonly FrozenDictionary<string, bool> Words = new Dictionary<string, bool>(StringComparer.Ordinal)
    {
        ["yes"] = true, ["y"] = true, ["true"] = true, ["t"] = true, ["present"] = true,
        ["no"] = false, ["n"] = false, ["false"] = false, ["f"] = false, ["absent"] = false, ["none"] = false,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, bool> Typos = new Dictionary<string, bool>(StringComparer.Ordinal)
    {
        ["1es"] = true, ["yes1"] = true, ["ys"] = true, ["yse"] = true, ["tes"] = true,
        ["n0"] = false, ["noo"] = false, ["mo"] = false,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenSet<string> Unknowns =
        new[] { "unknown", "notknown", "unk", "na", "nk", "9", "notrecorded", "notstated" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Normalises one raw flag.</summary>
    public static Normalised<bool> Normalise(ClinicalInput input)
    {
        switch (input.Kind)
        {
            case ClinicalInputKind.Null:
                return Normalised<bool>.Blank("flag.null", "null");
            case ClinicalInputKind.Boolean:
                return Normalised<bool>.Same(input.Text == "true", "flag.boolean", "boolean");
            case ClinicalInputKind.Number:
                return input.TryGetNumber(out var number) && number is 0 or 1
                    ? Normalised<bool>.Changed(number == 1, "flag.number", "number 1/0", "boolean")
                    : Normalised<bool>.Rejected("flag.unreadable", "number other than 1/0", "not a flag");
        }

        if (input.IsBlank)
        {
            return Normalised<bool>.Blank("flag.blank", "blank text");
        }

        var key = TextKey.Fold(input.Text);
        if (key is "1" or "0")
        {
            return Normalised<bool>.Changed(key == "1", "flag.digit_text", "text 1/0", "boolean");
        }

        if (Words.TryGetValue(key, out var word))
        {
            return Normalised<bool>.Changed(word, "flag.word", "yes/no word", "boolean");
        }

        if (Typos.TryGetValue(key, out var typo))
        {
            return Normalised<bool>.Changed(typo, "flag.typo", "misspelt yes/no word", "boolean");
        }

        return Unknowns.Contains(key)
            ? Normalised<bool>.Blank("flag.unknown", "explicit unknown")
            : Normalised<bool>.Rejected("flag.unreadable", "text", "not a flag");
    }
}
