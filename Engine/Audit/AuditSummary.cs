using System.Globalization;
using Nccid.Batch.Tables;

namespace Nccid.Batch.Audit;

/// <summary>What an audit found and whether the profile's gate passed.</summary>
/// <param name="Scan">The scan's counts.</param>
/// <param name="Profile">The profile's name.</param>
/// <param name="QualityFindings">Quality findings by severity.</param>
/// <param name="DeidFindings">De-identification findings by severity.</param>
/// <param name="BlockingFindings">Findings that block under the gate.</param>
/// <param name="BlockingRules">The rule ids of the blocking findings, with counts.</param>
/// <param name="Quarantined">Instances quarantined.</param>
/// <param name="OutputDirectory">Where the tables are.</param>
public sealed record AuditSummary(
    ScanSummary Scan, string Profile, IReadOnlyDictionary<Severity, long> QualityFindings, IReadOnlyDictionary<Severity, long> DeidFindings,
    long BlockingFindings, IReadOnlyDictionary<string, long> BlockingRules, long Quarantined, string OutputDirectory)
{
    /// <summary>Findings by rule id, sorted.</summary>
    public IReadOnlyDictionary<string, long> FindingsByRule { get; init; } = new Dictionary<string, long>(StringComparer.Ordinal);

    /// <summary>Paths of the quarantined instances (their rows are in the quarantine table).</summary>
    public PathSet QuarantinedPaths { get; init; } = new();

    /// <summary>
    /// SOP Instance UIDs that more than one readable file carries: a release keeps the first such file in listing order.
    /// Only these need remembering while the instances are joined, not every UID.
    /// </summary>
    public IReadOnlySet<string> SharedSopInstanceUids { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Part files of the instances and findings tables taken over unchanged from the earlier output (see <see cref="Tables.PartReuse"/>).</summary>
    public int PartsTakenOver { get; init; }

    /// <summary>Rows in <see cref="PartsTakenOver"/>.</summary>
    public long RowsTakenOver { get; init; }

    /// <summary>Chunks whose earlier parts no longer matched the earlier output's manifest, written again instead of taken over.</summary>
    public int ChunksRefused { get; init; }

    /// <summary>The first reasons for <see cref="ChunksRefused"/>: which part, and what did not match.</summary>
    public IReadOnlyList<string> ChunkRefusals { get; init; } = [];

    /// <summary>Chunks whose collection-rule findings were kept from the last run, their instances not observed (see <see cref="AuditSink"/>).</summary>
    public int CollectionChunksKept { get; init; }

    /// <summary>Of <see cref="CollectionChunksKept"/>, those read back from the index for a check because a change reached one of their groups.</summary>
    public int CollectionChunksReadBack { get; init; }

    /// <summary>
    /// Per chunk fingerprint of the instances table, a digest of the audit's decisions on its instances as a whole (their
    /// shared SOP Instance UIDs and quarantined paths); null when the audit kept no collection state.
    /// </summary>
    public IReadOnlyDictionary<string, string>? ChunkDigests { get; init; }

    /// <summary>Fingerprints of the chunks kept whole that no collection rule evaluated again: no group of theirs holds a file that changed.</summary>
    public IReadOnlySet<string> SettledChunks { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>True when no finding blocks the release.</summary>
    public bool GatePassed => BlockingFindings == 0;

    /// <summary>A few lines for people.</summary>
    public string Describe()
    {
        var inv = CultureInfo.InvariantCulture;
        static string Counts(IReadOnlyDictionary<Severity, long> counts) =>
            counts.Count == 0 ? "none" : string.Join(", ", counts.OrderByDescending(kv => kv.Key).Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Value:N0} {kv.Key.ToString().ToLowerInvariant()}")));
        var lines = new List<string>
        {
            Scan.Describe(),
            $"Audit profile '{Profile}': quality findings {Counts(QualityFindings)}; de-identification findings {Counts(DeidFindings)}.",
            string.Create(inv, $"{Quarantined:N0} instances quarantined (listed in {Path.Combine(OutputDirectory, QuarantineTable.Schema.Name)})."),
            GatePassed
                ? "Gate: PASSED (no finding blocks the release)."
                : string.Create(inv, $"Gate: FAILED, {BlockingFindings:N0} blocking findings: ") + string.Join(", ", BlockingRules.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(10).Select(kv => string.Create(inv, $"{kv.Key} ×{kv.Value:N0}"))),
        };
        return string.Join(Environment.NewLine, lines);
    }
}
