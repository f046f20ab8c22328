using Nccid.Batch.Pipeline;
using Nccid.Batch.Storage;

namespace Nccid.Batch.Tables;

/// <summary>
/// Scans a store into the <c>instances</c> table: the pipeline writes into a hidden staging folder beside the
/// output, and the finished table replaces the old one by rename, so no reader sees a half-written table.
/// </summary>
public static class InstanceScan
{
    /// <summary>Runs a scan of <paramref name="store"/> into <c>&lt;outputDirectory&gt;/instances</c>.</summary>
    /// <param name="store">Where the files are.</param>
    /// <param name="outputDirectory">The output folder (created when missing).</param>
    /// <param name="options">Scan options.</param>
    /// <param name="partOptions">Parquet part options.</param>
    /// <param name="includeHeaderJson">Whether to fill header_json.</param>
    /// <param name="time">The clock, for elapsed time only.</param>
    /// <param name="onStarted">Receives the live counters once the run starts (for progress displays).</param>
    /// <param name="cancellationToken">Stops the run; nothing is published then.</param>
    /// <param name="runner">Runs the scan (null: every file read and parsed); the scan index passes one that reuses unchanged files.</param>
    public static async Task<ScanSummary> RunAsync(
        IObjectStore store, string outputDirectory, ScanOptions options, ParquetPartOptions partOptions, bool includeHeaderJson,
        TimeProvider time, Action<ScanProgress>? onStarted, CancellationToken cancellationToken,
        ScanRunner<InstanceRow>? runner = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        var final = Path.Combine(outputDirectory, InstancesTable.Name);
        var staging = TablePublisher.CreateStaging(outputDirectory, InstancesTable.Name);
        var started = time.GetTimestamp();
        var progress = new ScanProgress();
        onStarted?.Invoke(progress);
        IReadOnlyList<string> parts;
        try
        {
            await using (var writer = new ParquetPartWriter<InstanceRow>(Path.Combine(staging, InstancesTable.Name), InstancesTable.Schema, partOptions))
            {
                await (runner ?? ScanRunners.Plain)(store, options, () => new InstanceProjector(includeHeaderJson).Project,
                    new ParquetRowSink<InstanceRow>(writer), progress, cancellationToken).ConfigureAwait(false);
                parts = writer.WrittenParts.Select(Path.GetFileName).ToArray()!;
            }

            TablePublisher.Publish(staging, outputDirectory, [InstancesTable.Name]);
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }

        return ScanSummary.Of(store, final, ScanCounts.From(progress), time.GetElapsedTime(started), parts.Select(x => Path.Combine(final, x)).ToArray());
    }
}
