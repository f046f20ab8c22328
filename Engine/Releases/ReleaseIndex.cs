using System.Text.Json;
using Nccid.Batch.Audit;
using Nccid.Batch.Index;
using Nccid.Batch.Pipeline;
using Nccid.Batch.Storage;
using Nccid.Batch.Tables;

namespace Nccid.Batch.Releases;

/// <summary>
/// The release's scan index: kept in <c>&lt;output&gt;/index/</c> beside <c>releases/</c>, so release N+1 reads only
/// the files that are new or changed since release N.
/// </summary>
internal static class ReleaseIndex
{
    /// <summary>The folder under <c>releases/</c> that holds the indexes, one per source.</summary>
    public static string Root(string releasesRoot) => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(releasesRoot))!, "index");

    /// <summary>Where the scan-index report of release <paramref name="releaseId"/> is kept.</summary>
    public static string ReportPath(string releasesRoot, string releaseId) => Path.Combine(Root(releasesRoot), "reports", releaseId + ".json");

    /// <summary>
    /// Records what the release's scan reused and read, and why. It is kept beside the release, not in it: a release
    /// is a function of its job, data and date (run again, it is byte for byte the same), and what an earlier run
    /// left in the index is not.
    /// </summary>
    public static void WriteReport(string releasesRoot, string releaseId, IndexReport report)
    {
        var path = ReportPath(releasesRoot, releaseId);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(report, ReportJson));
        File.Move(temporary, path, overwrite: true);
    }

    internal static readonly JsonSerializerOptions ReportJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true, TypeInfoResolver = IndexJson.Generated(IndexJsonContext.Default),
    };

    /// <summary>
    /// What the rows of a release's instances and findings tables depend on besides the files: the parser version, the
    /// scan settings, the audit profile and rules, and the parts' layout (see <see cref="PartChunker"/>). The reference date is not in it:
    /// rows whose findings depend on it are read again when it moves, and a chunk with a row read again is written.
    /// </summary>
    public static string ChunkSalt(IObjectStore store, ScanOptions options, bool headerJson, AuditProfile profile, DateOnly releaseDate, ParquetPartOptions parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var settings = ScanIndexSettings.ForAudit(store, options, headerJson, profile, releaseDate);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"audit parser {settings.ParserVersion} scan {settings.ScanSettings} rules {settings.Rules} format {ScanIndexVersions.Format} parts {parts.Layout}");
    }

    /// <summary>Where the collection rules keep what they knew of each chunk (<see cref="Audit.CollectionState"/>).</summary>
    public static string CollectionStatePath(string releasesRoot) => Path.Combine(Root(releasesRoot), "collection-state.bin");

    /// <summary>Where the imaging–outcomes join keeps what it made of each chunk (<see cref="JoinState"/>).</summary>
    public static string JoinStatePath(string releasesRoot) => Path.Combine(Root(releasesRoot), "join-state.bin");

    /// <summary>Opens the session for this release's source and settings (<paramref name="precomputed"/>: entries a cluster's shards made in this run).</summary>
    /// <remarks>Its segments are cut and fingerprinted as the release's tables are (<paramref name="chunking"/>), so a chunk is found in both by one fingerprint.</remarks>
    public static ScanIndexSession<AuditedInstance> Open(string releasesRoot, IObjectStore store, ScanOptions options, bool headerJson, AuditProfile profile,
        DateOnly releaseDate, bool full, PartChunking? chunking = null, IPrecomputedEntries? precomputed = null)
    {
        var settings = ScanIndexSettings.ForAudit(store, options, headerJson, profile, releaseDate);
        return new ScanIndexSession<AuditedInstance>(ScanIndexStore.DirectoryFor(Root(releasesRoot), settings), settings, new AuditedInstanceCodec(profile), full)
        {
            Chunking = chunking, Precomputed = precomputed,
        };
    }
}
