using System.Globalization;

namespace Nccid.Batch.Releases;

/// <summary>
/// What the release's documents count of its studies (by month, by modality, storage by first modality), kept as the
/// study rows stream past, so that no list of every study is held for them.
/// </summary>
public sealed class StudyTally
{
    private readonly Dictionary<string, long> _byMonth = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _byModality = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _bytesByFirstModality = new(StringComparer.Ordinal);

    /// <summary>Studies with a study date, by its month (<c>yyyy-MM</c>), ordinal order.</summary>
    public IReadOnlyList<(string Label, long Count)> ByMonth => Sorted(_byMonth, 1);

    /// <summary>Studies by each of their modalities (a study with two counts under both), ordinal order.</summary>
    public IReadOnlyList<(string Label, long Count)> ByModality => Sorted(_byModality, 1);

    /// <summary>Stored megabytes (10^6 bytes, rounded down) by each study's first modality, ordinal order.</summary>
    public IReadOnlyList<(string Label, long Count)> MegabytesByFirstModality => Sorted(_bytesByFirstModality, 1_000_000);

    /// <summary>Counts <paramref name="study"/>.</summary>
    public void Add(StudyRow study)
    {
        ArgumentNullException.ThrowIfNull(study);
        if (study.StudyDate is { } date) Increment(_byMonth, date.ToString("yyyy-MM", CultureInfo.InvariantCulture), 1);
        foreach (var modality in study.Modalities) Increment(_byModality, modality, 1);
        if (study.Modalities.Count > 0) Increment(_bytesByFirstModality, study.Modalities[0], study.Bytes);
    }

    /// <summary>Yields <paramref name="studies"/> as they are, counting each.</summary>
    public IEnumerable<StudyRow> Counting(IEnumerable<StudyRow> studies)
    {
        ArgumentNullException.ThrowIfNull(studies);
        foreach (var study in studies)
        {
            Add(study);
            yield return study;
        }
    }

    private static void Increment(Dictionary<string, long> counts, string key, long by) => counts[key] = counts.GetValueOrDefault(key) + by;

    private static (string, long)[] Sorted(Dictionary<string, long> counts, long divisor) =>
        counts.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (kv.Key, kv.Value / divisor)).ToArray();
}
