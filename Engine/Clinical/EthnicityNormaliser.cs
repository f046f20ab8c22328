using System.Collections.Frozen;

namespace Nccid.Batch.Clinical;

/// <summary>
/// Reads ethnicity as an NHS ethnic category letter (see <see cref="EthnicCategory"/>): the letter itself in
/// any case, or the category in words, with or without its group ("White - British", "White British",
/// "Asian or Asian British - Indian", "Indian", "Black African", "White other", …). A present but blank value,
/// "Not stated", "Unknown" and the later code 99 (not known) give Z; null stays null.
/// </summary>
public static class EthnicityNormaliser
{
    private static readonly FrozenDictionary<string, string> Words = BuildWords();

    /// <summary>Normalises one raw ethnicity value to its letter.</summary>
    public static Normalised<string> Normalise(ClinicalInput input)
    {
        if (input.Kind == ClinicalInputKind.Null)
        {
            return Normalised<string>.Blank("ethnicity.null", "null");
        }

        if (input.IsBlank)
        {
            return Normalised<string>.Changed("Z", "ethnicity.blank", "blank text", "NHS ethnic category letter");
        }

        var text = input.Text.Trim();
        if (text.Length == 1 && EthnicCategory.FromCode(text) is not null)
        {
            return Normalised<string>.Same(text, "ethnicity.code", "NHS ethnic category letter");
        }

        if (text.Length == 1 && EthnicCategory.FromCode(text.ToUpperInvariant()) is { } lower)
        {
            return Normalised<string>.Changed(lower.Code, "ethnicity.code_case", "lower-case category letter", "NHS ethnic category letter");
        }

        return Words.TryGetValue(TextKey.Fold(text), out var code)
            ? Normalised<string>.Changed(code, "ethnicity.word", "ethnic category in words", "NHS ethnic category letter")
            : Normalised<string>.Rejected("ethnicity.unreadable", "text", "not an ethnic category");
    }

    /// <summary>The group of a category letter, e.g. "White" for A; null for an unknown letter.</summary>
    public static string? GroupOf(string? code) => code is null ? null : EthnicCategory.FromCode(code)?.Group;

    private static FrozenDictionary<string, string> BuildWords()
    {
        var words = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var category in EthnicCategory.All)
        {
            words[TextKey.Fold(category.Group + category.Name)] = category.Code;
            words.TryAdd(TextKey.Fold(category.Name), category.Code);
        }

        // Short forms seen in submissions; the group's first word stands for "X or X British".
        string[][] extra =
        [
            ["A", "White British", "British", "White UK", "English", "Scottish", "Welsh"],
            ["B", "White Irish"],
            ["C", "White other", "Other White", "White any other", "Any other White"],
            ["D", "Mixed White and Black Caribbean", "White and Black Caribbean"],
            ["E", "Mixed White and Black African"],
            ["F", "Mixed White and Asian"],
            ["G", "Mixed other", "Other mixed", "Mixed"],
            ["H", "Asian Indian", "Indian"],
            ["J", "Asian Pakistani"],
            ["K", "Asian Bangladeshi"],
            ["L", "Asian other", "Other Asian", "Asian"],
            ["M", "Black Caribbean"],
            ["N", "Black African"],
            ["P", "Black other", "Other Black", "Black"],
            ["R", "Chinese", "Other Chinese"],
            ["S", "Other", "Other ethnic group", "Any other"],
            ["Z", "Not stated", "Unknown", "Not known", "99", "Prefer not to say", "Declined"],
        ];
        foreach (var row in extra)
        {
            for (var i = 1; i < row.Length; i++)
            {
                words[TextKey.Fold(row[i])] = row[0];
            }
        }

        return words.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
