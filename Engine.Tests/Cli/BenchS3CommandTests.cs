using System.Diagnostics;
using System.Text.Json;
using Nccid.Batch.Tests.Fixtures;
using Nccid.Batch.Tests.Tables;

namespace Nccid.Batch.Tests.Cli;

/// <summary><c>nccid-batch bench --s3</c> run as a program against the test server, at a tiny size.</summary>
public sealed class BenchS3CommandTests(S3ServerFixture server) : IClassFixture<S3ServerFixture>
{
    [Fact]
    public async Task Bench_s3_against_an_endpoint_reports_rates_requests_and_bytes_for_the_scan_and_the_plain_client()
    {
        using var temp = new TempDirectory();
        var report = Path.Combine(temp.Path, "report.json");
        var program = Path.Combine(AppContext.BaseDirectory, "nccid-batch.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { program, "bench", "--s3", "--endpoint", server.Endpoint.ToString(), "--bucket", "bench-test", "--objects", "3", "--rounds", "1", "--parallelism", "2", "--report", report, "--work", temp.Path })
        {
            start.ArgumentList.Add(arg);
        }

        // The test server's built-in account, given the way an operator gives credentials: the SDK's environment variables.
        start.Environment["AWS_ACCESS_KEY_ID"] = "S3RVER";
        start.Environment["AWS_SECRET_ACCESS_KEY"] = "S3RVER";
        start.Environment["AWS_REGION"] = "us-east-1";
        using var process = Process.Start(start)!;
        var stdoutTask = process.StandardOutput.ReadToEndAsync();
        var stderrTask = process.StandardError.ReadToEndAsync();
        using (var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3)))
        {
            await process.WaitForExitAsync(limit.Token);
        }

        var stdout = await stdoutTask;
        var stderr = await stderrTask;
        Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}: {stderr}{stdout}");

        Assert.DoesNotContain("started s3rver", stdout, StringComparison.Ordinal);
        Assert.Contains("ratio scan/plain = ", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("S3RVER", stdout + stderr, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(report));
        var root = json.RootElement;
        Assert.Equal(3, root.GetProperty("objects").GetInt32());
        var objectBytes = root.GetProperty("object_bytes").GetInt64();
        Assert.InRange(objectBytes, 15_000_000, 16_000_000);
        foreach (var name in new[] { "scan", "plain" })
        {
            var m = root.GetProperty(name);
            Assert.Equal(3, m.GetProperty("objects").GetInt64());
            Assert.Equal(0, m.GetProperty("error_rows").GetInt64());
            Assert.True(m.GetProperty("objects_per_second").GetDouble() > 0, name);
            Assert.True(m.GetProperty("elapsed_seconds").GetDouble() > 0, name);

            // One listing page and one ranged GET of the first 64 KiB per object: 4 requests for 3 objects.
            Assert.Equal(4, m.GetProperty("requests").GetInt64());
            Assert.Equal(65_536, m.GetProperty("bytes_fetched_per_object").GetDouble());
            Assert.Equal(3 * objectBytes, m.GetProperty("bytes_stored").GetInt64());
            Assert.InRange(m.GetProperty("fetched_to_stored_ratio").GetDouble(), 0.0001, 0.01);
        }

        Assert.True(root.GetProperty("scan_to_plain_ratio").GetDouble() > 0);
    }
}
