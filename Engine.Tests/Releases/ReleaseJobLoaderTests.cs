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

    [Fact]
    public void An_s3_output_is_kept_as_given_and_allowed_for_release_jobs_only()
    {
        using var temp = new TempDirectory();
        var release = Path.Combine(temp.Path, "release.json");
        File.WriteAllText(release, """{ "name": "to-bucket", "source": "s", "output": "s3://releases-bucket/nccid" }""");
        Assert.Equal("s3://releases-bucket/nccid", ReleaseJobLoader.Load(release).Output);

        var audit = Path.Combine(temp.Path, "audit.json");
        File.WriteAllText(audit, """{ "name": "audit", "kind": "audit", "source": "s", "output": "s3://releases-bucket/audits" }""");
        var error = Assert.Throws<JobFileException>(() => ReleaseJobLoader.Load(audit));
        Assert.Contains("at $.output: an s3:// location is allowed for release jobs only; audit jobs write to a folder.", error.Message);

        var badBucket = Path.Combine(temp.Path, "bad-bucket.json");
        File.WriteAllText(badBucket, """{ "name": "bad", "source": "s", "output": "s3://Bad_Bucket/x" }""");
        error = Assert.Throws<JobFileException>(() => ReleaseJobLoader.Load(badBucket));
        Assert.Contains("at $.output: ", error.Message);
        Assert.Contains("'Bad_Bucket' is not a valid bucket name", error.Message);
    }

    [Fact]
    public void A_work_directory_is_resolved_against_the_job_file_and_allowed_for_an_s3_output_only()
    {
        using var temp = new TempDirectory();
        var release = Path.Combine(temp.Path, "release.json");
        File.WriteAllText(release, """{ "name": "to-bucket", "source": "s", "output": "s3://releases-bucket/nccid", "workDirectory": "work/nccid" }""");
        Assert.Equal(Path.Combine(temp.Path, "work", "nccid"), ReleaseJobLoader.Load(release).WorkDirectory);

        var folder = Path.Combine(temp.Path, "folder.json");
        File.WriteAllText(folder, """{ "name": "to-folder", "source": "s", "output": "out", "workDirectory": "work" }""");
        var error = Assert.Throws<JobFileException>(() => ReleaseJobLoader.Load(folder));
        Assert.Contains("at $.workDirectory: only for an s3:// output; a folder output keeps its scan index beside its releases.", error.Message);

        var remote = Path.Combine(temp.Path, "remote.json");
        File.WriteAllText(remote, """{ "name": "remote", "source": "s", "output": "s3://releases-bucket/nccid", "workDirectory": "s3://other/work" }""");
        error = Assert.Throws<JobFileException>(() => ReleaseJobLoader.Load(remote));
        Assert.Contains("at $.workDirectory: a local folder.", error.Message);
    }

    [Fact]
    public void An_inventory_is_read_with_its_defaults_and_every_problem_is_named_with_its_path()
    {
        using var temp = new TempDirectory();
        var good = Path.Combine(temp.Path, "good.json");
        File.WriteAllText(good, """
            { "name": "inv", "kind": "audit", "source": "s3://imaging/incoming", "clinicalSource": "clinical", "output": "o",
              "inventory": { "manifest": "s3://reports/inv/imaging/weekly" } }
            """);
        var job = ReleaseJobLoader.Load(good);
        Assert.Equal(new InventorySource { Manifest = "s3://reports/inv/imaging/weekly", MaxAgeDays = 8, Required = false }, job.Inventory);
        Assert.Equal(TimeSpan.FromDays(8), job.Inventory!.ToOptions().MaxAge);

        var bad = Path.Combine(temp.Path, "bad.json");
        File.WriteAllText(bad, """
            { "name": "inv", "source": "folder", "output": "o", "inventory": { "manifest": "reports/manifest.json", "maxAgeDays": 0 } }
            """);
        var error = Assert.Throws<JobFileException>(() => ReleaseJobLoader.Load(bad));
        Assert.Contains(bad, error.Message);
        Assert.Contains("at $.inventory: an S3 Inventory lists an s3:// source only; $.source is a folder.", error.Message);
        Assert.Contains("at $.inventory.manifest: required; s3://bucket/", error.Message);
        Assert.Contains("at $.inventory.maxAgeDays: must be more than 0 and at most 366 (is 0).", error.Message);

        var typo = Path.Combine(temp.Path, "typo.json");
        File.WriteAllText(typo, """{ "name": "inv", "source": "s3://imaging/x", "clinicalSource": "c", "output": "o", "inventory": { "manifest": "s3://r/m", "maxAge": 3 } }""");
        Assert.Contains("maxAge", Assert.Throws<JobFileException>(() => ReleaseJobLoader.Load(typo)).Message);
    }
}
