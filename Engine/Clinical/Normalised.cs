namespace Nccid.Batch.Clinical;

/// <summary>
/// The result of normalising one raw value: the clean value (when there is one) and, for the change record,
/// the rule applied and the classes of the value before and after, never the raw value itself.
/// </summary>
/// <typeparam name="T">The clean value's type.</typeparam>
/// <param name="Value">The clean value; meaningful only when <see cref="HasValue"/>.</param>
/// <param name="HasValue">True when a clean value was produced.</param>
/// <param name="Outcome">What was done.</param>
/// <param name="RuleId">The normalisation rule, e.g. <c>date.dmy</c>.</param>
/// <param name="InputClass">What kind of raw value it was, e.g. "text dd/mm/yyyy".</param>
/// <param name="OutputClass">What it became, e.g. "ISO date".</param>
public readonly record struct Normalised<T>(T Value, bool HasValue, NormaliseOutcome Outcome, string RuleId, string InputClass, string OutputClass)
{
    /// <summary>A value that needed no change.</summary>
    public static Normalised<T> Same(T value, string ruleId, string valueClass) =>
        new(value, true, NormaliseOutcome.Unchanged, ruleId, valueClass, valueClass);

    /// <summary>A value converted from <paramref name="inputClass"/> to <paramref name="outputClass"/>.</summary>
    public static Normalised<T> Changed(T value, string ruleId, string inputClass, string outputClass) =>
        new(value, true, NormaliseOutcome.Changed, ruleId, inputClass, outputClass);

    /// <summary>A blank value, which becomes null.</summary>
    public static Normalised<T> Blank(string ruleId, string inputClass) =>
        new(default!, false, NormaliseOutcome.Blank, ruleId, inputClass, "null");

    /// <summary>A value that cannot be used, which becomes null.</summary>
    public static Normalised<T> Rejected(string ruleId, string inputClass, string reason) =>
        new(default!, false, NormaliseOutcome.Rejected, ruleId, inputClass, "null (" + reason + ")");

    /// <summary>The value, or null when there is none (for reference types and nullable targets).</summary>
    public T? ValueOrDefault => HasValue ? Value : default;
}
