using Nccid.Batch.Pipeline;
using Nccid.Batch.Storage;
using Nccid.Batch.Tables;

namespace Nccid.Batch.Audit;

/// <summary>
/// Scan and audit in one pass over the files (each file read once): writes <c>instances</c>,
/// <c>quality_findings</c>, <c>deid_findings</c>, <c>quarantine</c> and <c>audit_summary</c>, staged and published
/// by rename, and evaluates the profile's gate.
/// </summary>
public static class AuditScan
{
    private static readonly string[] Tables =
    [
        InstancesTable.Name, FindingsTables.Quality.Name, FindingsTables.Deidentification.Name, QuarantineTable.Schema.Name, AuditSummaryTable.Schema.Name,
    ];

    /// <summary>Runs the audit of <paramref name="store"/> into <paramref name="outputDirectory"/>.</summary>
    /// <param name="store">Where the files are.</param>
    /// <param name="outputDirectory">The output folder.</param>
    /// <param name="profile">What to check and what blocks.</param>
    /// <param name="options">Scan options.</param>
    /// <param name="partOptions">Parquet options.</param>
    /// <param name="referenceDate">"Today" for the future-date rules, fixed per run.</param>
    /// <param name="includeHeaderJson">Whether to fill header_json.</param>
    /// <param name="centreOf">
    /// Names a file's submitting centre; the default uses the drop-zone site or "unknown". It may read the facts' PatientID,
    /// folder pseudonym and the drop-zone site of their path only: a chunk kept whole is counted per patient and site.
    /// </param>
    /// <param name="time">The clock, for elapsed time only.</param>
    /// <param name="extraQuarantine">Items quarantined before the scan (e.g. clinical records), listed in the same table.</param>
    /// <param name="onStarted">Receives the live counters.</param>
    /// <param name="cancellationToken">Stops the run; nothing is published then.</param>
    /// <param name="runner">Runs the scan (null: every file read and parsed); the scan index passes one that reuses unchanged files.</param>
    /// <param name="chunking">Cuts the instances and findings tables into chunks and takes unchanged chunks' parts over (null: parts by size only).</param>
    /// <param name="collectionFactsInMemory">Facts each sort of the collection rules holds before it writes a sorted run to disk.</param>
    public static async Task<AuditSummary> RunAsync(
        IObjectStore store, string outputDirectory, AuditProfile profile, ScanOptions options, ParquetPartOptions partOptions,
        DateOnly referenceDate, bool includeHeaderJson, Func<InstanceFacts, string>? centreOf, TimeProvider time,
        IReadOnlyList<QuarantineRow>? extraQuarantine, Action<ScanProgress>? onStarted, CancellationToken cancellationToken,
        ScanRunner<AuditedInstance>? runner = null, PartChunking? chunking = null, int collectionFactsInMemory = CollectionScratch.DefaultFactsInMemory)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(time);
        var checks = AuditChecks.For(profile);
        var started = time.GetTimestamp();
        var progress = new ScanProgress();
        onStarted?.Invoke(progress);
        centreOf ??= static facts => SubmissionLayout.UploadSite(facts.Path) ?? "unknown";
        var staging = TablePublisher.CreateStaging(outputDirectory, "audit");
        try
        {
            var sink = new AuditSink(staging, partOptions, profile, checks, centreOf, extraQuarantine ?? [], chunking, collectionFactsInMemory, Index.ListingOrder.For(store));
            await using (sink.ConfigureAwait(false))
            {
                await (runner ?? ScanRunners.Plain)(store, options, () => new InstanceAuditor(checks, profile, referenceDate, includeHeaderJson).Audit,
                    sink, progress, cancellationToken).ConfigureAwait(false);
                await sink.FinishAsync(new CollectionContext(store), cancellationToken).ConfigureAwait(false);
            }

            TablePublisher.Publish(staging, outputDirectory, Tables);
            var instances = Path.Combine(outputDirectory, InstancesTable.Name);
            var scan = ScanSummary.Of(store, instances, ScanCounts.From(progress), time.GetElapsedTime(started),
                Directory.GetFiles(instances, "*.parquet").Order(StringComparer.Ordinal).ToArray());
            return new AuditSummary(scan, profile.Name, sink.QualityCounts, sink.DeidCounts, sink.Blocking, sink.BlockingRules, sink.QuarantinedCount, outputDirectory)
            {
                QuarantinedPaths = sink.QuarantinedPaths,
                SharedSopInstanceUids = sink.SharedSopInstanceUids,
                FindingsByRule = sink.FindingsByRule,
                PartsTakenOver = sink.Reused.Parts,
                RowsTakenOver = sink.Reused.Rows,
                ChunksRefused = sink.Refused.Chunks,
                ChunkRefusals = sink.Refused.Reasons,
                CollectionChunksKept = sink.CollectionChunksKept,
                CollectionChunksReadBack = sink.CollectionChunksReadBack,
                ChunkDigests = sink.ChunkDigests,
                SettledChunks = sink.SettledChunks,
            };
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }
}
