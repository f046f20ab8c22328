namespace Nccid.Batch.Releases;

/// <summary>
/// The NCCID's training/validation split: each submitting centre is <c>training</c>, <c>validation</c> or
/// <c>split</c>; in a split centre a patient goes to training when SHA-512 of the upper-cased pseudonym, mod 100,
/// is below the training percentage.
/// </summary>
public sealed record SplitPolicy
{
    /// <summary>The mode of centres not listed in <see cref="Centres"/>.</summary>
    public string Default { get; init; } = "split";

    /// <summary>Training share of split centres, 0–100.</summary>
    public int TrainingPercent { get; init; } = 70;

    /// <summary>Mode per centre name.</summary>
    public IReadOnlyDictionary<string, string> Centres { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The mode of <paramref name="centre"/>.</summary>
    public string ModeOf(string? centre) => centre is not null && Centres.TryGetValue(centre, out var mode) ? mode : Default;
}
