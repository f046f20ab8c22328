namespace Nccid.Batch.Audit;

/// <summary>
/// One copy of each distinct string among those a run holds at once (see <see cref="InstanceFacts.ShareStrings"/>),
/// up to <see cref="Capacity"/> distinct strings: then the pool starts again empty. The collection rules hold a bounded
/// number of facts (their sorts write the rest to disk), and the values facts repeat (centre, patient, study, series)
/// come in runs, so a pool that forgets keeps nearly every repeat shared without growing with the collection: one that
/// kept every distinct value had a 16 MB table at 1,008,712 files, besides the strings it kept alive. Not thread-safe.
/// </summary>
internal sealed class StringPool(int capacity = StringPool.DefaultCapacity)
{
    /// <summary>Distinct strings kept by default.</summary>
    public const int DefaultCapacity = 1 << 16;

    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);

    /// <summary>Distinct strings kept before the pool starts again.</summary>
    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "A pool keeps at least one string.");

    /// <summary>Distinct strings kept now.</summary>
    public int Count => _strings.Count;

    /// <summary>The pool's copy of <paramref name="value"/> (added when it is the first since the pool last started again).</summary>
    public string? Share(string? value)
    {
        if (value is null) return null;
        if (_strings.TryGetValue(value, out var shared)) return shared;
        if (_strings.Count >= Capacity) _strings.Clear();
        _strings.Add(value, value);
        return value;
    }
}
