using System.Diagnostics;
using System.Globalization;
using Nccid.Batch.Pipeline;
using Nccid.Batch.Releases;
using Nccid.Batch.Storage;
using Nccid.Batch.Tables;

namespace Nccid.Batch.Cli;

/// <summary>
/// Measures, in one run on one corpus, the raw-read limit (the first 64 KiB of every file, nothing parsed),
/// read + parse + project, the scan, the audit and a full release, each as a <see cref="BenchMeasurement"/>.
/// </summary>
internal sealed class EndToEndBenchmark(string corpus, string outputRoot, int parallelism, bool includeHeaderJson, TextWriter log)
{
    /// <summary>Every measurement covers the same files: the corpus's DICOM files, not its clinical records.</summary>
    private ScanOptions Options => new() { Parallelism = parallelism, IncludeNames = ["*.dcm"] };

    public Task<BenchMeasurement> RawReadAsync(CancellationToken cancellationToken) => MeasureAsync("raw read of the first 64 KiB", async () =>
    {
        var store = new LocalFileStore(corpus);
        long files = 0, bytes = 0;
        using var buffers = new ThreadLocal<byte[]>(() => new byte[64 << 10]);
        await Parallel.ForEachAsync(store.ListAsync(cancellationToken), new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (stored, ct) =>
            {
                if (stored.ListingError is not null || !stored.Key.EndsWith(".dcm", StringComparison.Ordinal)) return;
                var n = await store.ReadAsync(stored, 0, buffers.Value!, ct).ConfigureAwait(false);
                Interlocked.Increment(ref files);
                Interlocked.Add(ref bytes, n);
            }).ConfigureAwait(false);
        return (files, bytes);
    });

    public Task<BenchMeasurement> ParseAsync(CancellationToken cancellationToken) => MeasureAsync("read + parse + project (no writing)", async () =>
    {
        var pipeline = new ScanPipeline<InstanceRow>(new LocalFileStore(corpus), Options, () => new InstanceProjector(includeHeaderJson).Project);
        await pipeline.RunAsync(new DiscardSink(), cancellationToken).ConfigureAwait(false);
        return (pipeline.Progress.Done, pipeline.Progress.BytesRead);
    });

    public Task<BenchMeasurement> ScanAsync(CancellationToken cancellationToken) => MeasureAsync("scan (instances table)", async () =>
    {
        var output = Fresh("scan");
        var summary = await InstanceScan.RunAsync(new LocalFileStore(corpus), output, Options, new ParquetPartOptions(),
            includeHeaderJson, TimeProvider.System, null, cancellationToken).ConfigureAwait(false);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  scan wrote {summary.Files:N0} rows ({summary.Errors:N0} errors) in {summary.Parts.Count} parts"));
        return (summary.Files, summary.BytesRead);
    });

    public Task<BenchMeasurement> AuditAsync(CancellationToken cancellationToken) => MeasureAsync("audit (scan + every rule, one pass)", async () =>
    {
        var output = Fresh("audit");
        var summary = await Audit.AuditScan.RunAsync(new LocalFileStore(corpus), output, Audit.AuditProfile.Nccid, Options, new ParquetPartOptions(),
            new DateOnly(2026, 1, 1), includeHeaderJson, null, TimeProvider.System, null, null, cancellationToken).ConfigureAwait(false);
        return (summary.Scan.Files, summary.Scan.BytesRead);
    });

    /// <summary>A release job over the corpus and its clinical records: audit, clinical cleaning, joins, manifest, publish.</summary>
    public Task<BenchMeasurement> ReleaseAsync(CancellationToken cancellationToken) => MeasureAsync("full release (audit + clinical + joins)", async () =>
    {
        var output = Fresh("release");
        var job = new ReleaseJob
        {
            Name = "bench", Kind = "release", Source = corpus, Output = output, Parallelism = parallelism, HeaderJson = includeHeaderJson,
        };
        var created = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var result = await ReleaseBuilder.RunAsync(job, new string('0', 64), DateOnly.FromDateTime(created.UtcDateTime), created, "bench",
            TimeProvider.System, null, cancellationToken).ConfigureAwait(false);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  release {result.ReleaseId}: {(result.Published ? "published" : "not published (gate)")}, {result.Patients:N0} patients"));
        return (result.Audit.Scan.Files, result.Audit.Scan.BytesRead);
    });

    private string Fresh(string name)
    {
        var output = Path.Combine(outputRoot, name);
        if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        return output;
    }

    private static async Task<BenchMeasurement> MeasureAsync(string name, Func<Task<(long Files, long Bytes)>> pass)
    {
        // The previous pass's garbage is collected first, so neither its peak nor its collections count here, and the
        // memory the collector kept for it is given back: the high-water mark starts from the resident set of now, which
        // would otherwise carry the previous pass's heap (a raw read measured after a release peaked at the release's size),
        // and so are the C library's free pages.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        NativeHeap.TryTrim(out _);
        var ownPeak = PeakMemory.Reset();
        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        using var collector = BenchGc.Start();
        var started = Stopwatch.GetTimestamp();
        var (files, bytes) = await pass().ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var gc = collector.Stop();
        var allocatedBytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        self.Refresh();
        var cpuTime = self.TotalProcessorTime - cpu;
        var peak = ownPeak ? PeakMemory.Read() : self.PeakWorkingSet64;
        return new BenchMeasurement(name, files, bytes, elapsed, allocatedBytes, cpuTime, peak) { Gc = gc };
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
            using (var sync = Process.Start(new ProcessStartInfo("sync") { UseShellExecute = false })!)
            {
                sync.WaitForExit();
            }

            File.WriteAllText("/proc/sys/vm/drop_caches", "3");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
