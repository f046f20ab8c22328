namespace Nccid.Batch.Clinical;

/// <summary>
/// Splits the export form that puts a value and its date in one cell: <c>[137/91] - 2020-06-02</c>, or
/// <c>[Text] - 2020-03-20</c> where "Text" is the exporting system's placeholder for a value it did not show.
/// </summary>
public static class ValueDateCell
{
    /// <summary>The placeholder some exports write in place of the value.</summary>
    public const string Placeholder = "Text";

    /// <summary>Splits <paramref name="text"/> into the bracketed value and the date text after the dash.</summary>
    /// <returns>False when the text is not of this form.</returns>
    public static bool TrySplit(string text, out string value, out string dateText)
    {
        ArgumentNullException.ThrowIfNull(text);
        value = string.Empty;
        dateText = string.Empty;
        var span = text.AsSpan().Trim();
        if (span.Length < 4 || span[0] != '[')
        {
            return false;
        }

        var close = span.IndexOf(']');
        if (close < 0)
        {
            return false;
        }

        var rest = span[(close + 1)..].TrimStart();
        if (rest.Length < 2 || rest[0] is not ('-' or '\u2013' or '\u2014'))
        {
            return false;
        }

        value = span[1..close].Trim().ToString();
        dateText = rest[1..].Trim().ToString();
        return dateText.Length > 0;
    }

    /// <summary>True when the bracketed value carries nothing (empty or the placeholder).</summary>
    public static bool IsPlaceholder(string value) =>
        value.Length == 0 || string.Equals(value, Placeholder, StringComparison.OrdinalIgnoreCase);
}
