namespace Nccid.Batch.Clinical;

/// <summary>
/// Reads free-text swab results as positive, negative or unknown, word by word. "detected", "positive", "pos",
/// "found" and "present" are positive unless one of "no", "not", "nil", "none", "non" or "without" comes before
/// them in the same clause ("No SARS-CoV-2 RNA detected", "Not positive", "Nil detected"); "negative", "neg",
/// "undetected" and "absent" are negative; "inconclusive", "indeterminate", "equivocal", "void", "failed",
/// "unknown", "not known" and "insufficient" are unknown. A result of several clauses (split at ';', ',', '|' or a
/// line break) that names SARS-CoV-2 or COVID-19 in some of them is read from those; text that still says both
/// positive and negative ("Positive (previously negative)") is rejected as contradictory, and anything else is
/// rejected (null) rather than guessed.
/// </summary>
public static class TestResultNormaliser
{
    private static readonly HashSet<string> PositiveWords = new(StringComparer.Ordinal) { "detected", "positive", "pos", "found", "present" };
    private static readonly HashSet<string> NegativeWords = new(StringComparer.Ordinal) { "negative", "neg", "undetected", "absent" };
    private static readonly HashSet<string> Negations = new(StringComparer.Ordinal) { "no", "not", "nil", "none", "non", "without" };
    private static readonly HashSet<string> UnknownWords = new(StringComparer.Ordinal)
    {
        "inconclusive", "indeterminate", "equivocal", "void", "failed", "unknown", "insufficient",
    };

    private static readonly string[] CovidMarks = ["sarscov2", "sarscov", "covid", "coronavirus", "2019ncov", "ncov"];

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

        var clauses = text.Split([';', ',', '|', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var aboutCovid = clauses.Where(c => ContainsAny(TextKey.Fold(c), CovidMarks)).ToArray();
        var read = aboutCovid.Length > 0 && aboutCovid.Length < clauses.Length ? aboutCovid : clauses;
        var (positive, negative, unknown) = (false, false, false);
        foreach (var clause in read)
        {
            var marks = Marks(clause);
            positive |= marks.Positive;
            negative |= marks.Negative;
            unknown |= marks.Unknown;
        }

        if (positive && negative)
        {
            return Normalised<string>.Rejected("result.contradictory", "free-text result", "says both positive and negative");
        }

        var result = negative ? "negative" : positive ? "positive" : unknown ? "unknown" : null;
        return result is null
            ? Normalised<string>.Rejected("result.unreadable", "text", "not a test result")
            : Normalised<string>.Changed(result, "result.text", "free-text result", "test result");
    }

    private static (bool Positive, bool Negative, bool Unknown) Marks(string clause)
    {
        var words = Words(clause);
        var (positive, negative, unknown) = (false, false, false);
        var negation = false;
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            if (Negations.Contains(word))
            {
                negation = true;
            }
            else if (PositiveWords.Contains(word))
            {
                if (negation) negative = true;
                else positive = true;
            }
            else if (NegativeWords.Contains(word))
            {
                negative = true;
            }
            else if (UnknownWords.Contains(word) || (word == "known" && i > 0 && words[i - 1] == "not"))
            {
                unknown = true;
            }
        }

        return (positive, negative, unknown);
    }

    /// <summary>The clause's words, lower case, split at everything but letters and digits.</summary>
    private static List<string> Words(string clause)
    {
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= clause.Length; i++)
        {
            var inWord = i < clause.Length && char.IsLetterOrDigit(clause[i]);
            if (inWord && start < 0) start = i;
            if (!inWord && start >= 0)
            {
                words.Add(clause[start..i].ToLowerInvariant());
                start = -1;
            }
        }

        return words;
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
