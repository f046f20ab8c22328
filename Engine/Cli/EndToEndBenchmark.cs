using System.Diagnostics;
using System.Globalization;
using Nccid.Batch.Pipeline;
using Nccid.Batch.Storage;
using Nccid.Batch.Tables;

namespace Nccid.Batch.Cli;

/// <summary>
/// Measures, in one run on one corpus, the raw-read limit (the first 64 KiB of every file, nothing parsed) and
/// the scan, and reports the scan as a ratio of that limit, warm and, where the page cache can be dropped, cold.
/// </summary>
internal sealed class EndToEndBenchmark(string corpus, string outputRoot, int parallelism, bool includeHeaderJson, TextWriter log)
{
    public sealed record Measurement(string Name, long Files, long Bytes, TimeSpan Elapsed, long AllocatedBytes)
    {
        public double FilesPerSecond => Files / Math.Max(1e-9, Elapsed.TotalSeconds);

        public double MegabytesPerSecond => Bytes / 1e6 / Math.Max(1e-9, Elapsed.TotalSeconds);
    }

    /// <summary>Both measurements cover the same files: the corpus's DICOM files, not its clinical records.</summary>
    private ScanOptions Options => new() { Parallelism = parallelism, IncludeNames = ["*.dcm"] };

    public async Task<Measurement> RawReadAsync(CancellationToken cancellationToken)
    {
        var store = new LocalFileStore(corpus);
        long files = 0, bytes = 0;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var started = Stopwatch.GetTimestamp();
        using var buffers = new ThreadLocal<byte[]>(() => new byte[64 << 10]);
        await Parallel.ForEachAsync(store.ListAsync(cancellationToken), new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (stored, ct) =>
            {
                if (stored.ListingError is not null || !stored.Key.EndsWith(".dcm", StringComparison.Ordinal)) return;
                var n = await store.ReadAsync(stored, 0, buffers.Value!, ct).ConfigureAwait(false);
                Interlocked.Increment(ref files);
                Interlocked.Add(ref bytes, n);
            }).ConfigureAwait(false);
        return new Measurement("raw read of the first 64 KiB", files, bytes, Stopwatch.GetElapsedTime(started), GC.GetTotalAllocatedBytes(precise: true) - allocated);
    }

    public async Task<Measurement> ScanAsync(CancellationToken cancellationToken)
    {
        var output = Path.Combine(outputRoot, "scan");
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var started = Stopwatch.GetTimestamp();
        var summary = await InstanceScan.RunAsync(new LocalFileStore(corpus), output, Options, new ParquetPartOptions(),
            includeHeaderJson, TimeProvider.System, null, cancellationToken).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  scan wrote {summary.Files:N0} rows ({summary.Errors:N0} errors) to {summary.TableDirectory}"));
        return new Measurement("scan (parse + project + Parquet)", summary.Files, summary.BytesRead, elapsed, GC.GetTotalAllocatedBytes(precise: true) - allocated);
    }

    public async Task<Measurement> AuditAsync(CancellationToken cancellationToken)
    {
        var output = Path.Combine(outputRoot, "audit");
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var started = Stopwatch.GetTimestamp();
        var summary = await Audit.AuditScan.RunAsync(new LocalFileStore(corpus), output, Audit.AuditProfile.Nccid, Options, new ParquetPartOptions(),
            new DateOnly(2026, 1, 1), includeHeaderJson, null, TimeProvider.System, null, null, cancellationToken).ConfigureAwait(false);
        return new Measurement("scan + audit (one pass)", summary.Scan.Files, summary.Scan.BytesRead, Stopwatch.GetElapsedTime(started),
            GC.GetTotalAllocatedBytes(precise: true) - allocated);
    }

    public async Task<Measurement> ParseAsync(CancellationToken cancellationToken)
    {
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var started = Stopwatch.GetTimestamp();
        var pipeline = new ScanPipeline<InstanceRow>(new LocalFileStore(corpus), Options,
            () => new InstanceProjector(includeHeaderJson).Project);
        await pipeline.RunAsync(new DiscardSink(), cancellationToken).ConfigureAwait(false);
        return new Measurement("read + parse + project (no writing)", pipeline.Progress.Done, pipeline.Progress.BytesRead,
            Stopwatch.GetElapsedTime(started), GC.GetTotalAllocatedBytes(precise: true) - allocated);
    }

    private sealed class DiscardSink : IRowSink<InstanceRow>
    {
        public ValueTask AddAsync(InstanceRow row, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask CompleteAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    /// <summary>Drops the page cache for a cold measurement; false where the machine does not allow it.</summary>
    public static bool TryDropPageCache()
    {
        try
        {
            using (Process.Start(new ProcessStartInfo("sync") { UseShellExecute = false })!) { }
            File.WriteAllText("/proc/sys/vm/drop_caches", "3");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
