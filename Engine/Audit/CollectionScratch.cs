namespace Nccid.Batch.Audit;

/// <summary>
/// Where the collection rules sort the facts they need of every instance, and how many facts each of their sorts holds
/// in memory before it writes a sorted run there: a run's memory is then bounded by this count, not by the number of files.
/// </summary>
/// <param name="Directory">The scratch folder (created when the first run is written; the audit deletes it with its staging).</param>
/// <param name="FactsInMemory">Facts a sort holds before it writes a run.</param>
public sealed record CollectionScratch(string Directory, int FactsInMemory)
{
    /// <summary>The order the store lists paths in (<see cref="Index.ListingOrder"/>): rules that report a group's first instance mean the first listed.</summary>
    public Comparison<string> PathOrder { get; init; } = Index.ListingOrder.BySegment;

    /// <summary>Facts a sort holds by default: 10 to 20 MB of them (65,536 peaked 100 MB higher in an audit of 173,113 files).</summary>
    public const int DefaultFactsInMemory = 1 << 14;

    /// <summary>A scratch that never writes a run (for listing the rules, and for small sets).</summary>
    public static CollectionScratch InMemory { get; } = new(Path.GetTempPath(), int.MaxValue);
}
