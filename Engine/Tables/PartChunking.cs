namespace Nccid.Batch.Tables;

/// <summary>
/// How a run cuts its per-instance tables into chunks (<see cref="PartChunker"/>) and where it may take unchanged
/// chunks' parts from (<see cref="PartReuse"/>).
/// </summary>
/// <param name="Salt">What the rows depend on besides the objects (parser version, scan settings, rules): part of every fingerprint.</param>
/// <param name="PreviousOutput">The earlier published output whose table folders hold parts to take over; null for none.</param>
public sealed record PartChunking(string Salt, string? PreviousOutput)
{
    /// <summary>Fewest rows in a chunk (see <see cref="PartChunker"/>).</summary>
    public int MinRows { get; init; } = PartChunker.DefaultMinRows;

    /// <summary>Most rows in a chunk.</summary>
    public int MaxRows { get; init; } = PartChunker.DefaultMaxRows;

    /// <summary>Past <see cref="MinRows"/>, a key ends the chunk with probability 1/Divisor.</summary>
    public int Divisor { get; init; } = PartChunker.DefaultDivisor;

    /// <summary>
    /// The SHA-256 and size of each part of <see cref="PreviousOutput"/> as published, by path relative to it
    /// ("table/part-00000.parquet"), from its manifest. A part whose file no longer matches, or that is not listed, is not
    /// taken over (its chunk is written again). Null where the output has no manifest (an audit's own <c>--out</c>):
    /// then a part's footer is trusted.
    /// </summary>
    public IReadOnlyDictionary<string, PublishedPart>? PublishedParts { get; init; }

    /// <summary>
    /// Where the collection rules keep what they knew of each chunk for the next run (see <see cref="Audit.AuditSink"/>);
    /// null: every run evaluates them over every instance.
    /// </summary>
    public string? CollectionStateFile { get; init; }

    /// <summary>What the collection state depends on besides the chunks and <see cref="Salt"/> (the source); a state kept for another is ignored.</summary>
    public string CollectionStateScope { get; init; } = string.Empty;

    /// <summary>
    /// The facts of the instances of a chunk of this run, by its fingerprint, in listing order, read back from the scan
    /// index once the scan is over; the collection state is used only where this is given.
    /// </summary>
    public Func<string, IEnumerable<Audit.InstanceFacts>>? ChunkFacts { get; init; }

    /// <summary>A chunker with these settings.</summary>
    public PartChunker CreateChunker() => new(Salt, MinRows, MaxRows, Divisor);
}
