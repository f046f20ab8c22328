using System.Text.Json;
using Nccid.Batch.Cli;
using Nccid.Batch.Tests.Tables;
using Xunit;

namespace Nccid.Batch.Tests.Cli;

public sealed class BenchReportTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Json_gives_each_measurement_its_best_round_and_its_ratio_to_the_raw_read()
    {
        var report = NewReport();
        report.WarmPasses.Add(Pass(BenchReport.RawRead, seconds: 2.0, cpuSeconds: 1.0));
        report.WarmPasses.Add(Pass("scan (instances table)", seconds: 4.0, cpuSeconds: 3.0));
        report.WarmPasses.Add(Pass(BenchReport.RawRead, seconds: 1.0, cpuSeconds: 0.9));
        report.WarmPasses.Add(Pass("scan (instances table)", seconds: 5.0, cpuSeconds: 3.2));
        report.LoadAverageAtEnd = "1.00 1.00 1.00 1/100 2";
        var path = Path.Combine(_folder.Path, "out", "bench.json");

        await report.WriteJsonAsync(path, CancellationToken.None);

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(path));
        var root = json.RootElement;
        Assert.Equal("0.50 0.40 0.30 1/100 1", root.GetProperty("load_average_at_start").GetString());
        var warm = root.GetProperty("warm").EnumerateArray().ToArray();
        Assert.Equal([BenchReport.RawRead, "scan (instances table)"], warm.Select(m => m.GetProperty("name").GetString()));
        // Best rounds: the raw read's 1 s (10,000 files/s) and the scan's 4 s (2,500 files/s).
        Assert.Equal(10_000.0, warm[0].GetProperty("files_per_second").GetDouble());
        Assert.Equal(0.25, warm[1].GetProperty("ratio_to_raw_read").GetDouble());
        Assert.Equal([2_500.0, 2_000.0], warm[1].GetProperty("rounds_files_per_second").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal(300.0, warm[1].GetProperty("cpu_microseconds_per_file").GetDouble());
        Assert.Equal(1_000.0, warm[1].GetProperty("allocated_bytes_per_file").GetDouble());
        Assert.Equal(64L << 20, warm[1].GetProperty("peak_working_set_bytes").GetInt64());
        Assert.Empty(root.GetProperty("cold").EnumerateArray());
    }

    [Fact]
    public void Table_lists_each_measurement_once_with_its_range_over_the_rounds()
    {
        var report = NewReport();
        report.WarmPasses.Add(Pass(BenchReport.RawRead, seconds: 2.0, cpuSeconds: 1.0));
        report.WarmPasses.Add(Pass(BenchReport.RawRead, seconds: 1.0, cpuSeconds: 1.0));
        using var text = new StringWriter();

        report.WriteTable(text);

        var rows = text.ToString().Split('\n').Where(l => l.Contains(BenchReport.RawRead, StringComparison.Ordinal)).ToArray();
        var row = Assert.Single(rows);
        Assert.Contains("10,000", row, StringComparison.Ordinal);
        Assert.Contains("[5,000-10,000]", row, StringComparison.Ordinal);
        Assert.Contains("100.0 %", row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_allocation_count_that_went_backwards_is_reported_as_unknown_not_as_a_negative_figure()
    {
        var report = NewReport();
        report.WarmPasses.Add(Pass(BenchReport.RawRead, seconds: 1.0, cpuSeconds: 1.0) with { AllocatedBytes = -3_970_000_000 });
        report.WarmPasses.Add(Pass("scan (instances table)", seconds: 2.0, cpuSeconds: 1.5));
        using var text = new StringWriter();
        var path = Path.Combine(_folder.Path, "bench.json");

        report.WriteTable(text);
        await report.WriteJsonAsync(path, CancellationToken.None);

        var raw = Assert.Single(text.ToString().Split('\n'), l => l.Contains(BenchReport.RawRead, StringComparison.Ordinal));
        Assert.Contains(" n/a ", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("-", raw.Replace(BenchReport.RawRead, string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(path));
        var warm = json.RootElement.GetProperty("warm").EnumerateArray().ToArray();
        Assert.False(warm[0].TryGetProperty("allocated_bytes_per_file", out _));
        Assert.Equal(1_000.0, warm[1].GetProperty("allocated_bytes_per_file").GetDouble());
    }

    [Fact]
    public async Task What_the_collector_did_is_reported_per_pass_where_it_was_watched()
    {
        var report = NewReport();
        report.WarmPasses.Add(Pass(BenchReport.RawRead, seconds: 1.0, cpuSeconds: 1.0));
        report.WarmPasses.Add(Pass("scan (instances table)", seconds: 4.0, cpuSeconds: 3.0) with
        {
            Gc = new BenchGc(Gen0: 30, Gen1: 5, Gen2: 2, Paused: TimeSpan.FromSeconds(0.5), PeakCommittedBytes: 200L << 20),
        });
        using var text = new StringWriter();
        var path = Path.Combine(_folder.Path, "bench.json");

        report.WriteTable(text);
        await report.WriteJsonAsync(path, CancellationToken.None);

        var scan = Assert.Single(text.ToString().Split('\n'), l => l.Contains("scan (instances table)", StringComparison.Ordinal));
        Assert.EndsWith("12.5 %     200     2", scan.TrimEnd(), StringComparison.Ordinal);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(path));
        var warm = json.RootElement.GetProperty("warm").EnumerateArray().ToArray();
        Assert.False(warm[0].TryGetProperty("gc", out _));
        var gc = warm[1].GetProperty("gc");
        Assert.Equal([30, 5, 2], new[] { "gen0", "gen1", "gen2" }.Select(n => gc.GetProperty(n).GetInt32()));
        Assert.Equal(0.5, gc.GetProperty("pause_seconds").GetDouble());
        Assert.Equal(0.125, gc.GetProperty("pause_share").GetDouble());
        Assert.Equal(200L << 20, gc.GetProperty("peak_committed_bytes").GetInt64());
    }

    [Fact]
    public void Watching_the_collector_counts_its_collections_and_the_heap_it_committed()
    {
        var watch = BenchGc.Start();
        var held = new byte[96 << 20];
        held.AsSpan().Fill(1);
        GC.Collect(2, GCCollectionMode.Forced, blocking: true);

        // The collector may raise a forced generation-0 collection to generation 1 (tests running alongside fill its
        // budget), so collect until one has stayed a generation-0 collection.
        var young = GC.CollectionCount(0) - GC.CollectionCount(1);
        for (var i = 0; i < 100 && GC.CollectionCount(0) - GC.CollectionCount(1) == young; i++) GC.Collect(0, GCCollectionMode.Forced, blocking: true);

        var gc = watch.Stop();

        GC.KeepAlive(held);
        Assert.True(gc.Gen2 >= 1, $"{gc.Gen2} full collections");
        Assert.True(gc.Gen0 >= 1, $"{gc.Gen0} collections of generation 0");
        Assert.True(gc.PeakCommittedBytes >= 96L << 20, $"{gc.PeakCommittedBytes} bytes committed");
        Assert.True(gc.Paused > TimeSpan.Zero);
    }

    private static BenchReport NewReport() => new()
    {
        StartedUtc = "2026-01-01T00:00:00.0000000+00:00", Cores = 2, Parallelism = 8, HeaderJson = false, CorpusFiles = 10_000,
        LoadAverageAtStart = "0.50 0.40 0.30 1/100 1",
    };

    private static BenchMeasurement Pass(string name, double seconds, double cpuSeconds) =>
        new(name, 10_000, 10_000 * 4096, TimeSpan.FromSeconds(seconds), 10_000_000, TimeSpan.FromSeconds(cpuSeconds), 64L << 20);
}
