namespace Nccid.Batch.Clinical;

/// <summary>
/// Reads free-text swab results as positive, negative or unknown. A negation (not detected, negative, neg,
/// not found, absent) is looked for first, so "SARS-CoV-2 RNA NOT detected" is negative; then detected,
/// positive, pos; then inconclusive, indeterminate, equivocal, void, failed, unknown, which give unknown.
/// Anything else is rejected (null) rather than guessed.
/// </summary>
public static class TestResultNormaliser
{
    private static readonly string[] NegativeMarks = ["notdetected", "negative", "notfound", "absent", "undetected"];
    private static readonly string[] PositiveMarks = ["detected", "positive"];
    private static readonly string[] UnknownMarks = ["inconclusive", "indeterminate", "equivocal", "void", "failed", "unknown", "notknown", "insufficient"];

    /// <summary>Normalises one raw test result.</summary>
    public static Normalised<string> Normalise(ClinicalInput input)
    {
        if (input.Kind == ClinicalInputKind.Null)
        {
            return Normalised<string>.Blank("result.null", "null");
        }

        if (input.IsBlank)
        {
            return Normalised<string>.Blank("result.blank", "blank text");
        }

        var text = input.Text.Trim();
        if (text is "positive" or "negative" or "unknown")
        {
            return Normalised<string>.Same(text, "result.word", "test result");
        }

        var key = TextKey.Fold(text);
        var result = ContainsAny(key, NegativeMarks) || key == "neg" ? "negative"
            : ContainsAny(key, PositiveMarks) || key == "pos" ? "positive"
            : ContainsAny(key, UnknownMarks) ? "unknown"
            : null;
        return result is null
            ? Normalised<string>.Rejected("result.unreadable", "text", "not a test result")
            : Normalised<string>.Changed(result, "result.text", "free-text result", "test result");
    }

    private static bool ContainsAny(string key, string[] marks)
    {
        foreach (var mark in marks)
        {
            if (key.Contains(mark, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
