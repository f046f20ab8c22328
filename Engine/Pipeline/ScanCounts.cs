using Nccid.Batch.Dicom;

namespace Nccid.Batch.Pipeline;

/// <summary>
/// The counts a finished scan reports, as a value: what one shard of a release scanned, and what several shards
/// scanned together (<see cref="Add"/>).
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

    /// <summary>Nothing scanned.</summary>
    public static ScanCounts Zero { get; } = new(0, 0, 0, new SortedDictionary<DicomErrorKind, long>(), 0, 0, 0);

    /// <summary>The counts of a finished scan.</summary>
    public static ScanCounts From(ScanProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        return new ScanCounts(progress.Done, progress.Excluded, progress.Errors, progress.ErrorsByKind(), progress.BytesStored, progress.BytesRead, progress.Requests)
        {
            Reused = progress.Reused, ReusedBytesRead = progress.ReusedBytesRead, ReusedRequests = progress.ReusedRequests,
        };
    }

    /// <summary>The counts of this scan and <paramref name="other"/> together.</summary>
    public ScanCounts Add(ScanCounts other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var kinds = new SortedDictionary<DicomErrorKind, long>(ErrorsByKind.ToDictionary(kv => kv.Key, kv => kv.Value));
        foreach (var (kind, n) in other.ErrorsByKind) kinds[kind] = kinds.GetValueOrDefault(kind) + n;
        return new ScanCounts(Files + other.Files, Excluded + other.Excluded, Errors + other.Errors, kinds, BytesStored + other.BytesStored,
            BytesRead + other.BytesRead, Requests + other.Requests)
        {
            Reused = Reused + other.Reused, ReusedBytesRead = ReusedBytesRead + other.ReusedBytesRead, ReusedRequests = ReusedRequests + other.ReusedRequests,
        };
    }
}
