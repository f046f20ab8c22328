using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nccid.Batch.Cli;

/// <summary>
/// What one <c>bench</c> run measured: every pass of every round, the best round per measurement, the cold
/// passes where the page cache could be dropped, and the load of the machine. Printed as a table and written as JSON.
/// </summary>
internal sealed class BenchReport
{
    public const string RawRead = "raw read of the first 64 KiB";

    public required string StartedUtc { get; init; }

    public required int Cores { get; init; }

    public required int Parallelism { get; init; }

    public required bool HeaderJson { get; init; }

    public required long CorpusFiles { get; init; }

    public required string LoadAverageAtStart { get; init; }

    public string LoadAverageAtEnd { get; set; } = string.Empty;

    public List<BenchMeasurement> WarmPasses { get; } = [];

    public List<BenchMeasurement> ColdPasses { get; } = [];

    /// <summary>Per measurement, the pass with the most files per second (the one least disturbed by other processes).</summary>
    public IReadOnlyList<BenchMeasurement> WarmBest =>
        WarmPasses.GroupBy(m => m.Name).Select(g => g.MaxBy(m => m.FilesPerSecond)!).ToList();

    /// <summary>The first line of <c>/proc/loadavg</c>, or "unknown".</summary>
    public static string ReadLoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "unknown";
        }
    }

    public void WriteTable(TextWriter output)
    {
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine();
        output.WriteLine(string.Create(inv,
            $"{CorpusFiles:N0} DICOM files, parallelism {Parallelism}, {Cores} cores, header_json {(HeaderJson ? "on" : "off")}, load average {LoadAverageAtStart} at start, {LoadAverageAtEnd} at end"));
        output.WriteLine(string.Create(inv,
            $"warm: best of {WarmPasses.Count(m => m.Name == RawRead)} rounds (range over the rounds in brackets)"));
        WriteRows(output, "warm", WarmBest, WarmPasses);
        if (ColdPasses.Count > 0) WriteRows(output, "cold", ColdPasses, ColdPasses);
        var best = WarmBest.ToDictionary(m => m.Name, StringComparer.Ordinal);
        var scan = best.Values.FirstOrDefault(m => m.Name.StartsWith("scan", StringComparison.Ordinal));
        var audit = best.Values.FirstOrDefault(m => m.Name.StartsWith("audit", StringComparison.Ordinal));
        if (scan is not null && audit is not null)
        {
            output.WriteLine(string.Create(inv, $"warm  audit / scan = {audit.FilesPerSecond / scan.FilesPerSecond:P1}"));
        }
    }

    public async Task WriteJsonAsync(string path, CancellationToken cancellationToken)
    {
        var best = WarmBest;
        var raw = best.FirstOrDefault(m => m.Name == RawRead);
        var document = new
        {
            StartedUtc, Cores, Parallelism, HeaderJson, CorpusFiles, LoadAverageAtStart, LoadAverageAtEnd,
            Warm = best.Select(m => Json(m, raw, WarmPasses.Where(p => p.Name == m.Name))).ToArray(),
            Cold = ColdPasses.Select(m => Json(m, ColdPasses.FirstOrDefault(p => p.Name == RawRead), [m])).ToArray(),
        };
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        await using var stream = File.Create(path);
        await JsonSerializer.SerializeAsync(stream, document, JsonOptions, cancellationToken).ConfigureAwait(false);
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static object Json(BenchMeasurement m, BenchMeasurement? raw, IEnumerable<BenchMeasurement> rounds) => new
    {
        m.Name,
        m.Files,
        m.Bytes,
        Seconds = Math.Round(m.Elapsed.TotalSeconds, 4),
        FilesPerSecond = Math.Round(m.FilesPerSecond, 1),
        RatioToRawRead = raw is null ? (double?)null : Math.Round(m.FilesPerSecond / raw.FilesPerSecond, 4),
        CpuMicrosecondsPerFile = Math.Round(m.CpuMicrosecondsPerFile, 2),
        AllocatedBytesPerFile = m.AllocatedPerFile is { } allocated ? Math.Round(allocated, 1) : (double?)null,
        PeakWorkingSetBytes = m.PeakWorkingSetBytes,
        Gc = m.Gc is { } gc
            ? new { gc.Gen0, gc.Gen1, gc.Gen2, PauseSeconds = Math.Round(gc.Paused.TotalSeconds, 4), PauseShare = Math.Round(m.GcPauseShare!.Value, 4), gc.PeakCommittedBytes }
            : null,
        RoundsFilesPerSecond = rounds.Select(r => Math.Round(r.FilesPerSecond, 1)).ToArray(),
    };

    private static void WriteRows(TextWriter output, string label, IReadOnlyList<BenchMeasurement> rows, IReadOnlyList<BenchMeasurement> all)
    {
        var inv = CultureInfo.InvariantCulture;
        var raw = rows.FirstOrDefault(m => m.Name == RawRead);
        output.WriteLine(string.Create(inv,
            $"{label,-5} {"measurement",-40} {"files/s",9} {"range",17} {"/ raw",7} {"CPU µs/file",12} {"alloc B/file",13} {"peak MiB",9} {"GC pause",9} {"GC MiB",7} {"gen2",5}"));
        foreach (var m in rows)
        {
            var rounds = all.Where(p => p.Name == m.Name).Select(p => p.FilesPerSecond).ToArray();
            var range = rounds.Length > 1 ? string.Create(inv, $"[{rounds.Min():N0}-{rounds.Max():N0}]") : string.Empty;
            var ratio = raw is null ? "-" : (m.FilesPerSecond / raw.FilesPerSecond).ToString("P1", inv);
            var allocated = m.AllocatedPerFile is { } perFile ? perFile.ToString("N0", inv) : "n/a";
            var (pause, committed, fullCollections) = m.Gc is { } gc
                ? (m.GcPauseShare!.Value.ToString("P1", inv), (gc.PeakCommittedBytes / 1048576.0).ToString("N0", inv), gc.Gen2.ToString(inv))
                : ("n/a", "n/a", "n/a");
            output.WriteLine(string.Create(inv,
                $"{label,-5} {m.Name,-40} {m.FilesPerSecond,9:N0} {range,17} {ratio,7} {m.CpuMicrosecondsPerFile,12:N1} {allocated,13} {m.PeakWorkingSetBytes / 1048576.0,9:N0} {pause,9} {committed,7} {fullCollections,5}"));
        }
    }
}
