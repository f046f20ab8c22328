using System.Text.RegularExpressions;
using Nccid.Batch.Tests.Fixtures;
using Nccid.Batch.Tests.Tables;

namespace Nccid.Batch.Tests.Cli;

/// <summary><c>nccid-batch bench --incremental</c> run as a program at a tiny size.</summary>
public sealed class BenchIncrementalCommandTests
{
    [Fact]
    public async Task Bench_incremental_times_releases_in_process_and_as_processes_of_their_own_and_their_tables_are_equal()
    {
        using var temp = new TempDirectory();

        var (exitCode, stdout, stderr) = await EngineProcess.RunAsync(
            ["bench", "--incremental", "--files", "3000", "--no-cold", "--parallelism", "2", "--work", temp.Path], TimeSpan.FromMinutes(5));

        Assert.True(exitCode == 0, $"exit code {exitCode}: {stderr}{stdout}");
        Assert.Contains("tables: the incremental release's tables equal the full rebuild's, byte for byte", stdout, StringComparison.Ordinal);
        Assert.Contains("added", stdout, StringComparison.Ordinal);
        Assert.Contains("(a third 1%:", stdout, StringComparison.Ordinal);
        var processes = Regex.Match(stdout, @"as processes of their own: incremental ([0-9.]+) s wall, full rebuild ([0-9.]+) s wall; .* tables equal, byte for byte");
        Assert.True(processes.Success, stdout);
        Assert.True(double.Parse(processes.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.True(double.Parse(processes.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) > 0);
        // The first process read only the third 1% through the scan index the releases before it left; the second read all.
        var third = long.Parse(Regex.Match(stdout, @"added ([0-9,]+) files \(a third 1%").Groups[1].Value.Replace(",", "", StringComparison.Ordinal),
            System.Globalization.CultureInfo.InvariantCulture);
        var reports = Path.Combine(temp.Path, "incremental", "out", "index", "reports");
        using var incremental = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(reports, "bench-2026-01-01-5.json")));
        Assert.Equal("incremental", incremental.RootElement.GetProperty("mode").GetString());
        Assert.Equal(third, incremental.RootElement.GetProperty("parsed_new").GetInt64());
        using var rebuild = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(reports, "bench-2026-01-01-6.json")));
        Assert.Equal("--full was given", rebuild.RootElement.GetProperty("reason").GetString());
    }
}
