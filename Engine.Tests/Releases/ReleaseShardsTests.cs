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
        Assert.Equal(plan.Objects, plan.Shards.Sum(s => s.Objects));
        Assert.Equal(single.Audit.Scan.Files, counts.Sum());
        Assert.True(single.Published);
        Assert.True(sharded.Published);
        Assert.Equal(single.ReleaseId, sharded.ReleaseId);
        Assert.True(single.Audit.Quarantined > 0);
        AssertSameBytes(Path.Combine(_temp.Path, "single"), Path.Combine(output, "releases"));

        // An assembly that died after publishing finds the release it published instead of publishing a second one.
        Assert.Equal(sharded.ReleaseId, ReleaseShards.FindPublished(staging));
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
        Assert.Null(ReleaseShards.FindPublished(staging));
        Assert.False(Directory.Exists(Path.Combine(_temp.Path, "out", "releases")) && Directory.GetDirectories(Path.Combine(_temp.Path, "out", "releases")).Length > 0);
    }
}
