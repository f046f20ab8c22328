using Nccid.Batch.Index;
using Nccid.Batch.Releases;
using Nccid.Batch.Synthetic;
using Nccid.Batch.Tests.Tables;

namespace Nccid.Batch.Tests.Releases;

public sealed class ReleaseShardsTests : IDisposable
{
    private static readonly DateOnly Date = new(2021, 6, 1);
    private static readonly DateTimeOffset Created = new(2021, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Every file under <paramref name="folder"/>, by relative path, with its bytes.</summary>
    internal static SortedDictionary<string, byte[]> Files(string folder) =>
        new(Directory.GetFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(folder, f), File.ReadAllBytes), StringComparer.Ordinal);

    internal static void AssertSameBytes(string expectedFolder, string actualFolder)
    {
        var expected = Files(expectedFolder);
        var actual = Files(actualFolder);
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (name, bytes) in expected) Assert.True(bytes.AsSpan().SequenceEqual(actual[name]), name + " differs");
    }

    /// <summary>The keys of shard <paramref name="shard"/>'s files, in the order its object list holds them.</summary>
    private static List<string> ShardKeys(string staging, int shard) =>
        File.ReadLines(Path.Combine(staging, "shards", shard.ToString("D5", System.Globalization.CultureInfo.InvariantCulture) + ".objects.jsonl"))
            .Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("Key").GetString()!).ToList();

    [Fact]
    public async Task A_release_built_from_shards_is_byte_identical_to_the_single_pass_release()
    {
        var corpus = Path.Combine(_temp.Path, "corpus");
        SyntheticCorpusGenerator.Generate(corpus, new SyntheticCorpusOptions { Patients = 40, Seed = 5, DuplicateSopInstanceUid = 0.05 }, CancellationToken.None);
        var output = Path.Combine(_temp.Path, "out");
        var job = ReleaseJobLoader.Load(ReleasedCorpusFixture.WriteJob(Path.Combine(_temp.Path, "job.json"), corpus, output));

        // The manifest names the job's output, so both runs publish there in turn.
        var single = await ReleaseBuilder.RunAsync(job, "sha", Date, Created, "test", TimeProvider.System, null, CancellationToken.None);
        Directory.Move(Path.Combine(output, "releases"), Path.Combine(_temp.Path, "single"));
        // Without the scan index the single run left, the shards read every file.
        Directory.Delete(Path.Combine(output, "index"), recursive: true);

        var staging = Path.Combine(_temp.Path, "staging");
        var plan = await ReleaseShards.PlanAsync(job, "sha", Date, Created, "test", staging, shardSize: 30, CancellationToken.None);
        var counts = new List<long>();
        foreach (var shard in plan.Shards.Reverse())
        {
            counts.Add((await ReleaseShards.RunShardAsync(staging, shard.Number, null, null, CancellationToken.None)).Files);
        }

        // A shard run again (as after its host died) rewrites the same part.
        await ReleaseShards.RunShardAsync(staging, 0, null, null, CancellationToken.None);
        var sharded = await ReleaseShards.AssembleAsync(staging, TimeProvider.System, CancellationToken.None);

        Assert.True(plan.Shards.Count >= 4, $"{plan.Shards.Count} shards");
        Assert.Contains(plan.Shards, s => s.Bucket > 0);
        // A split centre's shards are runs of consecutive files in listing order, of sizes one apart at most.
        foreach (var centre in plan.Shards.GroupBy(s => s.Centre).Where(c => c.Count() > 1))
        {
            var runs = centre.OrderBy(s => s.Bucket).Select(s => ShardKeys(staging, s.Number)).ToList();
            Assert.True(runs.Max(r => r.Count) - runs.Min(r => r.Count) <= 1, string.Join(", ", runs.Select(r => r.Count)));
            for (var b = 1; b < runs.Count; b++) Assert.True(ListingOrder.BySegment(runs[b - 1][^1], runs[b][0]) < 0, $"{centre.Key}: run {b} starts before run {b - 1} ends");
        }

        Assert.Equal(plan.Objects, plan.Shards.Sum(s => s.Objects));
        Assert.Equal(single.Audit.Scan.Files, counts.Sum());
        Assert.True(single.Published);
        Assert.True(sharded.Published);
        Assert.Equal(single.ReleaseId, sharded.ReleaseId);
        Assert.True(single.Audit.Quarantined > 0);
        AssertSameBytes(Path.Combine(_temp.Path, "single"), Path.Combine(output, "releases"));

        // An assembly that died after publishing finds the release it published instead of publishing a second one.
        Assert.Equal(sharded.ReleaseId, await ReleaseShards.FindPublishedAsync(staging, CancellationToken.None));
    }

    [Fact]
    public async Task The_next_cluster_release_shards_only_what_changed_and_equals_a_full_rebuild()
    {
        var (corpus, extra) = IncrementalReleaseTests.CorpusWithExtra(_temp.Path, patients: 20, seed: 8, extraPatients: 3, extraSeed: 108);
        var jobFile = ReleasedCorpusFixture.WriteJob(Path.Combine(_temp.Path, "job.json"), corpus, Path.Combine(_temp.Path, "out"));
        var job = ReleaseJobLoader.Load(jobFile);
        var date = ReleasedCorpusFixture.ReleaseDate;
        var created = new DateTimeOffset(2021, 6, 1, 12, 0, 0, TimeSpan.Zero);

        async Task<(ReleaseShardPlan Plan, ReleaseResult Release)> ClusterRun(string name, Action? beforeAssembly)
        {
            var staging = Path.Combine(_temp.Path, name);
            var plan = await ReleaseShards.PlanAsync(job, "sha", date, created, "test", staging, shardSize: 20, CancellationToken.None);
            foreach (var shard in plan.Shards) await ReleaseShards.RunShardAsync(staging, shard.Number, null, null, CancellationToken.None);
            beforeAssembly?.Invoke();
            return (plan, await ReleaseShards.AssembleAsync(staging, TimeProvider.System, CancellationToken.None));
        }

        var (firstPlan, first) = await ClusterRun("staging-1", null);
        Assert.True(first.Published);
        Assert.Equal(0, firstPlan.Unchanged);
        Assert.Equal(first.Audit.Scan.Files, firstPlan.Objects);
        Assert.Equal(0, first.Audit.Scan.Reused);

        var dicom = Directory.GetFiles(corpus, "*.dcm", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        var spare = Directory.GetFiles(extra, "*.dcm", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        File.Delete(dicom[3]);
        File.Copy(spare[0], dicom[7], overwrite: true);
        var added = IncrementalReleaseTests.AddFiles(extra, corpus, skip: 1, take: 6);
        var addedFiles = Directory.GetFiles(Path.Combine(corpus, "added"), "*.dcm", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();

        // After its shard read it, one new file is replaced and one unchanged file is touched: the assembly reads both itself.
        var (nextPlan, next) = await ClusterRun("staging-2", () =>
        {
            File.Copy(spare[^1], addedFiles[2], overwrite: true);
            File.SetLastWriteTimeUtc(addedFiles[2], new DateTime(2021, 5, 30, 0, 0, 0, DateTimeKind.Utc));
            File.SetLastWriteTimeUtc(dicom[11], new DateTime(2021, 5, 29, 0, 0, 0, DateTimeKind.Utc));
        });
        Assert.True(next.Published);
        Assert.Equal(added + 1, nextPlan.Objects);
        Assert.Equal(first.Audit.Scan.Files - 2, nextPlan.Unchanged);
        Assert.Equal(added + 1, nextPlan.Shards.Sum(s => s.Objects));
        Assert.Equal(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{added + 1} files to read in {nextPlan.Shards.Count} shards, {nextPlan.Unchanged:N0} unchanged taken from the scan index"), nextPlan.Describe());
        Assert.Equal(first.Audit.Scan.Files - 3, next.Audit.Scan.Reused);
        Assert.Equal(first.Audit.Scan.Files - 1 + added, next.Audit.Scan.Files);
        var report = IncrementalReleaseTests.IndexReport(next);
        Assert.Equal("incremental", report.GetProperty("mode").GetString());
        Assert.Equal(added, report.GetProperty("parsed_new").GetInt64());
        Assert.Equal(2, report.GetProperty("parsed_changed").GetInt64());
        Assert.Equal(1, report.GetProperty("deleted").GetInt64());

        var rebuilt = await IncrementalReleaseTests.Release(jobFile, full: true);
        IncrementalReleaseTests.AssertSameTables(rebuilt, next);
    }

    [Fact]
    public async Task Assembly_refuses_while_a_shard_is_not_done()
    {
        var corpus = Path.Combine(_temp.Path, "corpus");
        SyntheticCorpusGenerator.Generate(corpus, new SyntheticCorpusOptions { Patients = 6, Seed = 2 }, CancellationToken.None);
        var job = ReleaseJobLoader.Load(ReleasedCorpusFixture.WriteJob(Path.Combine(_temp.Path, "job.json"), corpus, Path.Combine(_temp.Path, "out")));
        var staging = Path.Combine(_temp.Path, "staging");
        var plan = await ReleaseShards.PlanAsync(job, "sha", Date, Created, "test", staging, shardSize: 10, CancellationToken.None);
        await ReleaseShards.RunShardAsync(staging, 0, null, null, CancellationToken.None);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ReleaseShards.AssembleAsync(staging, TimeProvider.System, CancellationToken.None));

        Assert.True(plan.Shards.Count > 1);
        Assert.Contains("shards 1", error.Message, StringComparison.Ordinal);
        Assert.Null(await ReleaseShards.FindPublishedAsync(staging, CancellationToken.None));
        Assert.False(Directory.Exists(Path.Combine(_temp.Path, "out", "releases")) && Directory.GetDirectories(Path.Combine(_temp.Path, "out", "releases")).Length > 0);
    }
}
