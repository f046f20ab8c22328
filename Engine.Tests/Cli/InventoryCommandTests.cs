using System.Text.Json;
using Nccid.Batch.Synthetic;
using Nccid.Batch.Tests.Fixtures;
using Nccid.Batch.Tests.Tables;

namespace Nccid.Batch.Tests.Cli;

/// <summary>
/// The program with an S3 Inventory as the listing: <c>audit --inventory</c>, and an audit job whose file names the
/// inventory, both against the test server with credentials and endpoint from the SDK's environment variables.
/// </summary>
public sealed class InventoryCommandTests(S3ServerFixture server) : IClassFixture<S3ServerFixture>
{
    [Fact]
    public async Task Audit_with_an_inventory_lists_from_it_and_writes_the_listing_and_its_age_to_the_scan_summary()
    {
        using var temp = new TempDirectory();
        var (source, manifest, objects) = await PrepareAsync(temp.Path, "cli-audit");
        var output = Path.Combine(temp.Path, "out");

        var (exit, stdout, stderr) = await RunAsync(["audit", $"s3://{source}/incoming", "--out", output, "--profile", "nccid", "--inventory", manifest]);

        Assert.True(exit is 0 or 3, $"exit code {exit}: {stderr}{stdout}");
        Assert.Contains("Listing: S3 Inventory " + manifest, stdout, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "scan-summary.json")));
        var root = json.RootElement;
        Assert.Equal(objects, root.GetProperty("objects").GetInt64());
        Assert.Equal("s3-inventory", root.GetProperty("listing").GetProperty("method").GetString());
        Assert.Equal(manifest, root.GetProperty("listing").GetProperty("inventory_manifest").GetString());
        Assert.InRange(root.GetProperty("listing").GetProperty("inventory_age_hours").GetDouble(), 2.9, 4);
        Assert.Equal((objects + 5) / (double)objects, root.GetProperty("requests_per_object").GetDouble(), 3);
        Assert.DoesNotContain("S3RVER", stdout + stderr + File.ReadAllText(Path.Combine(output, "scan-summary.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_audit_job_with_a_required_inventory_that_is_too_old_fails_with_the_reason()
    {
        using var temp = new TempDirectory();
        var (source, manifest, _) = await PrepareAsync(temp.Path, "cli-job");
        var job = Path.Combine(temp.Path, "inventory-audit.json");
        File.WriteAllText(job, $$"""
            { "name": "inventory-audit", "kind": "audit", "source": "s3://{{source}}/incoming", "clinicalSource": "clinical", "output": "out",
              "inventory": { "manifest": "{{manifest}}", "maxAgeDays": 0.05, "required": true } }
            """);

        var (exit, stdout, stderr) = await RunAsync(["run", job, "--state", Path.Combine(temp.Path, "state")]);

        Assert.NotEqual(0, exit);
        Assert.Contains("The S3 Inventory cannot be used: it was created ", stdout + stderr, StringComparison.Ordinal);
        Assert.Contains("more than the 1 h 12 min allowed", stdout + stderr, StringComparison.Ordinal);
    }

    private async Task<(string Source, string Manifest, long Objects)> PrepareAsync(string temp, string hint)
    {
        var corpus = Path.Combine(temp, "corpus");
        SyntheticCorpusGenerator.Generate(corpus, new SyntheticCorpusOptions { Patients = 3, Seed = 9 }, CancellationToken.None);
        var source = await server.CreateBucketAsync(hint);
        var reports = await server.CreateBucketAsync(hint + "-reports");
        var objects = await server.UploadFolderAsync(source, "incoming/", corpus);
        var (manifest, _) = await InventoryBuilder.BuildAsync(server, source, reports, $"inv/{source}/daily", "CSV", TimeProvider.System.GetUtcNow().AddHours(-3));
        return (source, manifest, objects);
    }

    private async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string[] arguments)
    {
        var environment = new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = "S3RVER", ["AWS_SECRET_ACCESS_KEY"] = "S3RVER", ["AWS_REGION"] = "us-east-1", ["AWS_ENDPOINT_URL_S3"] = server.Endpoint.ToString(),
        };
        var output = await Task.Run(() => CliProcess.Run(arguments, Path.GetTempPath(), TimeSpan.FromMinutes(2), environment));
        return (output.ExitCode, output.Stdout, output.Stderr);
    }
}
