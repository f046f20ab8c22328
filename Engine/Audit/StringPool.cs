namespace Nccid.Batch.Audit;

/// <summary>One copy of each distinct string a run keeps many times (see <see cref="InstanceFacts.ShareStrings"/>). Not thread-safe.</summary>
internal sealed class StringPool
{
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);

    /// <summary>The pool's copy of <paramref name="value"/> (added when it is the first).</summary>
    public string? Share(string? value)
    {
        if (value is null) return null;
        if (_strings.TryGetValue(value, out var shared)) return shared;
        _strings.Add(value, value);
        return value;
    }
}
