using System.Globalization;
using Nccid.Batch.Dicom;
using Nccid.Batch.Pipeline;
using Nccid.Batch.Storage;

namespace Nccid.Batch.Tables;

/// <summary>What a scan did: counts, bytes, time, and where the table is.</summary>
/// <param name="Source">The scanned root.</param>
/// <param name="TableDirectory">The published table folder.</param>
/// <param name="Counts">What the scan counted: files, errors, bytes and reads, and what came from the scan index.</param>
/// <param name="Elapsed">Wall time of the scan.</param>
/// <param name="Parts">Part files written.</param>
public sealed record ScanSummary(string Source, string TableDirectory, ScanCounts Counts, TimeSpan Elapsed, IReadOnlyList<string> Parts)
{
    /// <summary>Rows written (one per object listed and included).</summary>
    public long Files => Counts.Files;

    /// <summary>Objects listed but left out by the include patterns.</summary>
    public long Excluded => Counts.Excluded;

    /// <summary>Error rows.</summary>
    public long Errors => Counts.Errors;

    /// <summary>Error rows by kind.</summary>
    public IReadOnlyDictionary<DicomErrorKind, long> ErrorsByKind => Counts.ErrorsByKind;

    /// <summary>Total size of the objects.</summary>
    public long BytesStored => Counts.BytesStored;

    /// <summary>Bytes read to make the rows, reused ones included (see <see cref="ScanCounts"/>).</summary>
    public long BytesRead => Counts.BytesRead;

    /// <summary>Range reads that made the rows, counted the same way.</summary>
    public long Requests => Counts.Requests;

    /// <summary>Rows taken from an earlier run's scan index instead of being read (counted in <see cref="Files"/> too).</summary>
    public long Reused => Counts.Reused;

    /// <summary>The part of <see cref="BytesRead"/> that earlier runs read, for the <see cref="Reused"/> rows.</summary>
    public long ReusedBytesRead => Counts.ReusedBytesRead;

    /// <summary>The part of <see cref="Requests"/> that earlier runs issued, for the <see cref="Reused"/> rows.</summary>
    public long ReusedRequests => Counts.ReusedRequests;

    /// <summary>Files per second.</summary>
    public double FilesPerSecond => Elapsed.TotalSeconds > 0 ? Files / Elapsed.TotalSeconds : 0;

    /// <summary>Megabytes (10^6 bytes) this run read per second (not counting what earlier runs read for reused rows).</summary>
    public double ReadMegabytesPerSecond => Elapsed.TotalSeconds > 0 ? (BytesRead - ReusedBytesRead) / 1e6 / Elapsed.TotalSeconds : 0;

    /// <summary>What the storage service was asked for and how the objects were listed; null for a folder.</summary>
    public StorageStatistics? Storage { get; init; }

    /// <summary>
    /// Requests to the storage service per object (listing pages, inventory files, ranged GETs and retries, over the
    /// objects scanned); null for a folder.
    /// </summary>
    public double? RequestsPerObject => Storage is null ? null : Files > 0 ? (double)Storage.Requests / Files : 0;

    /// <summary>Bytes read of the objects' headers as a fraction of the bytes they hold.</summary>
    public double FetchedRatio => BytesStored > 0 ? (double)BytesRead / BytesStored : 0;

    /// <summary>The summary of a scan of <paramref name="store"/> that counted <paramref name="counts"/>, with its storage counters.</summary>
    public static ScanSummary Of(IObjectStore store, string tableDirectory, ScanCounts counts, TimeSpan elapsed, IReadOnlyList<string> parts)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(counts);
        return new ScanSummary(store.Description, tableDirectory, counts, elapsed, parts).WithStorage(store);
    }

    /// <summary>Adds the storage counters of <paramref name="store"/>, when it keeps them.</summary>
    public ScanSummary WithStorage(IObjectStore store) => store is IObjectStoreStatistics measured ? this with { Storage = measured.Statistics } : this;

    private string ReusedNote() => Reused == 0 ? string.Empty : string.Create(CultureInfo.InvariantCulture,
        $"; {ReusedBytesRead / 1e6:N1} MB and {ReusedRequests:N0} of the reads by earlier runs, for the {Reused:N0} rows reused from the scan index");

    /// <summary>A few lines for people.</summary>
    public string Describe()
    {
        var inv = CultureInfo.InvariantCulture;
        var lines = new List<string>
        {
            string.Create(inv, $"Scanned {Files:N0} files ({BytesStored / 1e6:N1} MB stored, {BytesRead / 1e6:N1} MB read in {Requests:N0} reads{ReusedNote()}) from {Source}"),
            string.Create(inv, $"in {Elapsed.TotalSeconds:N2} s: {FilesPerSecond:N0} files/s, {ReadMegabytesPerSecond:N1} MB/s."),
            string.Create(inv, $"{Files - Errors:N0} ok, {Errors:N0} errors{(Errors > 0 ? ": " + string.Join(", ", ErrorsByKind.Select(kv => string.Create(inv, $"{kv.Key} {kv.Value:N0}"))) : string.Empty)}."),
            $"Table: {TableDirectory} ({Parts.Count} part file{(Parts.Count == 1 ? string.Empty : "s")}).",
        };
        if (Excluded > 0) lines.Insert(3, string.Create(inv, $"{Excluded:N0} files did not match the include patterns and were not scanned."));
        if (Storage is { } storage)
        {
            lines.Add(string.Create(inv,
                $"S3: {FilesPerSecond:N0} objects/s, {RequestsPerObject:N3} requests per object ({storage.Requests:N0} requests, {storage.Retries:N0} retries), {BytesRead / 1e6:N1} MB fetched of {BytesStored / 1e6:N1} MB stored ({FetchedRatio:P3})."));
            lines.Add(storage.Listing.Describe());
        }

        return string.Join(Environment.NewLine, lines);
    }
}
