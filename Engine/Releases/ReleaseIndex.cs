using Nccid.Batch.Audit;
using Nccid.Batch.Index;
using Nccid.Batch.Pipeline;
using Nccid.Batch.Storage;

namespace Nccid.Batch.Releases;

/// <summary>
/// The release's scan index: kept in <c>releases/state/index/</c> beside the releases, so release N+1 reads only
/// the files that are new or changed since release N.
/// </summary>
internal static class ReleaseIndex
{
    /// <summary>The folder under <c>releases/</c> that holds the indexes, one per source.</summary>
    public static string Root(string releasesRoot) => Path.Combine(releasesRoot, "state", "index");

    /// <summary>Opens the session for this release's source and settings.</summary>
    public static ScanIndexSession<AuditedInstance> Open(string releasesRoot, IObjectStore store, ScanOptions options, bool headerJson, AuditProfile profile,
        DateOnly releaseDate, bool full)
    {
        var settings = ScanIndexSettings.ForAudit(store, options, headerJson, profile, releaseDate);
        return new ScanIndexSession<AuditedInstance>(ScanIndexStore.DirectoryFor(Root(releasesRoot), settings), settings, new AuditedInstanceCodec(profile), full);
    }
}
