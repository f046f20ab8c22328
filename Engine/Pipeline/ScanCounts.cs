using Nccid.Batch.Dicom;

namespace Nccid.Batch.Pipeline;

/// <summary>
/// The counts a finished scan reports, as a value: what a scan, an audit, a release or one shard of a release scanned.
/// </summary>
/// <param name="Files">Rows written (objects listed and included).</param>
/// <param name="Excluded">Objects listed but left out by the include patterns.</param>
/// <param name="Errors">Error rows.</param>
/// <param name="ErrorsByKind">Error rows by kind, sorted by kind.</param>
/// <param name="BytesStored">Total size of the objects.</param>
/// <param name="BytesRead">
/// Bytes read to make the rows: a row reused from the scan index counts the read that made it, so the figures equal
/// a full run's (the part earlier runs read is <c>ReusedBytesRead</c>).
/// </param>
/// <param name="Requests">Range reads that made the rows, counted the same way.</param>
public sealed record ScanCounts(long Files, long Excluded, long Errors, IReadOnlyDictionary<DicomErrorKind, long> ErrorsByKind, long BytesStored, long BytesRead, long Requests)
{
    /// <summary>Rows taken from an earlier run's scan index instead of being read (counted in <see cref="Files"/> too).</summary>
    public long Reused { get; init; }

    /// <summary>The part of <see cref="BytesRead"/> that earlier runs read, for the <see cref="Reused"/> rows.</summary>
    public long ReusedBytesRead { get; init; }

    /// <summary>The part of <see cref="Requests"/> that earlier runs issued, for the <see cref="Reused"/> rows.</summary>
    public long ReusedRequests { get; init; }

    /// <summary>The counts of a finished scan.</summary>
    public static ScanCounts From(ScanProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        return new ScanCounts(progress.Done, progress.Excluded, progress.Errors, progress.ErrorsByKind(), progress.BytesStored, progress.BytesRead, progress.Requests)
        {
            Reused = progress.Reused, ReusedBytesRead = progress.ReusedBytesRead, ReusedRequests = progress.ReusedRequests,
        };
    }
}
