using Nccid.Batch.Releases;
using Nccid.Batch.Tests.Fixtures;
using Nccid.Batch.Tests.Tables;

namespace Nccid.Batch.Tests.Releases;

public class ReleaseJobLoaderTests
{
    [Fact]
    public void Every_committed_job_file_is_valid()
    {
        var jobs = Directory.GetFiles(Path.Combine(RepositoryRoot.Find(), "jobs"), "*.json").Where(f => !f.EndsWith(".schema.json", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(jobs);
        foreach (var job in jobs) Assert.False(string.IsNullOrEmpty(ReleaseJobLoader.Load(job).Name));
    }

    [Fact]
    public void A_bad_job_file_names_the_file_every_json_path_and_what_is_allowed()
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "bad.json");
        File.WriteAllText(path, """{ "name": "bad name!", "kind": "party", "source": "", "output": "o", "split": { "trainingPercent": 140 }, "collectionWindows": "maybe" }""");
        var error = Assert.Throws<JobFileException>(() => ReleaseJobLoader.Load(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("$.name", error.Message);
        Assert.Contains("$.kind", error.Message);
        Assert.Contains("release, audit or scan", error.Message);
        Assert.Contains("$.source", error.Message);
        Assert.Contains("$.split.trainingPercent", error.Message);
        Assert.Contains("$.collectionWindows", error.Message);
    }

    [Fact]
    public void An_unknown_property_is_an_error_with_its_path()
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "typo.json");
        File.WriteAllText(path, """{ "name": "ok", "source": "s", "output": "o", "outptu": "x" }""");
        var error = Assert.Throws<JobFileException>(() => ReleaseJobLoader.Load(path));
        Assert.Contains("outptu", error.Message);
    }
}
