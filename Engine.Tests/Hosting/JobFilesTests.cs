using System.Reflection;
using System.Text.Json;
using Nccid.Batch.Hosting;
using Nccid.Batch.Releases;
using Nccid.Batch.Tests.Fixtures;
using Nccid.Batch.Tests.Tables;

namespace Nccid.Batch.Tests.Hosting;

public class JobFilesTests
{
    private static string JobsFolder => Path.Combine(RepositoryRoot.Find(), "jobs");

    [Fact]
    public void Every_committed_job_file_loads_and_the_folder_has_the_weekly_release_and_nightly_audit()
    {
        var scan = JobFolder.Load(JobsFolder);
        Assert.Empty(scan.Errors);
        var names = scan.Jobs.Select(j => j.Job.Name).ToArray();
        Assert.Contains("weekly-release", names);
        Assert.Contains("nightly-audit", names);
        var weekly = scan.Jobs.Single(j => j.Job.Name == "weekly-release").Job;
        Assert.Equal(new JobSchedule("0 0 2 ? * SUN", "Europe/London"), weekly.Schedule);
        Assert.Equal("audit", scan.Jobs.Single(j => j.Job.Name == "nightly-audit").Job.Kind);
        Assert.All(JobFolder.JobFiles(JobsFolder), f => Assert.Contains("\"$schema\": \"./job.schema.json\"", File.ReadAllText(f), StringComparison.Ordinal));
    }

    [Fact]
    public void Schema_lists_exactly_the_properties_of_ReleaseJob_and_its_parts()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(JobsFolder, "job.schema.json")));
        var root = schema.RootElement;
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", root.GetProperty("$schema").GetString());
        Assert.False(root.GetProperty("additionalProperties").GetBoolean());
        Assert.Equal(JsonNames(typeof(ReleaseJob)).Append("$schema").Order(StringComparer.Ordinal), PropertyNames(root).Order(StringComparer.Ordinal));
        Assert.Equal(JsonNames(typeof(SplitPolicy)).Order(StringComparer.Ordinal), PropertyNames(root.GetProperty("properties").GetProperty("split")).Order(StringComparer.Ordinal));
        var scheduleObject = root.GetProperty("properties").GetProperty("schedule").GetProperty("oneOf")[1];
        Assert.Equal(JsonNames(typeof(JobSchedule)).Order(StringComparer.Ordinal), PropertyNames(scheduleObject).Order(StringComparer.Ordinal));
        var inventoryObject = root.GetProperty("properties").GetProperty("inventory").GetProperty("oneOf")[1];
        Assert.Equal(JsonNames(typeof(InventorySource)).Order(StringComparer.Ordinal), PropertyNames(inventoryObject).Order(StringComparer.Ordinal));
        Assert.Equal(InventorySource.DefaultMaxAgeDays, inventoryObject.GetProperty("properties").GetProperty("maxAgeDays").GetProperty("default").GetDouble());
    }

    [Fact]
    public void Schema_enums_allow_what_the_loader_allows()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(JobsFolder, "job.schema.json")));
        var properties = schema.RootElement.GetProperty("properties");
        Assert.Equal(["release", "audit", "scan"], properties.GetProperty("kind").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["flag", "exclude"], properties.GetProperty("collectionWindows").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(10, properties.GetProperty("retries").GetProperty("maximum").GetInt32());
    }

    [Fact]
    public void Folder_load_reports_each_bad_file_with_its_json_path_and_the_fix_and_keeps_the_good_ones()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(Path.Combine(temp.Path, "good.json"), """{ "name": "good", "source": "s", "output": "o" }""");
        File.WriteAllText(Path.Combine(temp.Path, "bad.json"), """{ "name": "bad", "source": "s", "output": "o", "schedule": { "cron": "0 0 2 * *", "timeZone": "Mars/Olympus" } }""");
        File.WriteAllText(Path.Combine(temp.Path, "twin.json"), """{ "name": "good", "source": "s", "output": "o" }""");
        File.WriteAllText(Path.Combine(temp.Path, "x.schema.json"), "{}");
        var scan = JobFolder.Load(temp.Path);
        Assert.Equal(["good"], scan.Jobs.Select(j => j.Job.Name));
        Assert.Equal(2, scan.Errors.Count);
        var bad = scan.Errors.Single(e => e.Contains("bad.json", StringComparison.Ordinal));
        Assert.Contains("at $.schedule.cron", bad);
        Assert.Contains("6 or 7 fields", bad);
        Assert.Contains("at $.schedule.timeZone", bad);
        Assert.Contains("Europe/London", bad);
        var twin = scan.Errors.Single(e => e.Contains("twin.json", StringComparison.Ordinal));
        Assert.Contains("at $.name", twin);
        Assert.Contains("unique", twin);
    }

    [Fact]
    public void Find_accepts_a_job_name_or_a_file()
    {
        var byName = JobFolder.Find(JobsFolder, "weekly-release");
        Assert.Equal(Path.Combine(JobsFolder, "weekly-release.json"), byName);
        Assert.Equal(byName, JobFolder.Find(JobsFolder, Path.Combine(JobsFolder, "weekly-release.json")));
        Assert.Null(JobFolder.Find(JobsFolder, "no-such-job"));
    }

    private static IEnumerable<string> JsonNames(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name));

    private static IEnumerable<string> PropertyNames(JsonElement schemaObject) =>
        schemaObject.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToArray();
}
