using Nccid.Batch.Releases;
using Nccid.Batch.Synthetic;
using Nccid.Batch.Tables;
using Nccid.Batch.Tests.Tables;

namespace Nccid.Batch.Tests.Releases;

/// <summary>
/// The join replays a chunk of the instances whose rows, audit decisions and patients' records are unchanged, from what
/// it made of it at the last release; a chunk where any of them changed, or where the first copy of a repeated instance
/// is now another, is joined from its rows. Either way the tables equal a full rebuild's, byte for byte.
/// </summary>
public sealed class JoinReplayTests
{
    private static Task<ReleaseResult> Release(string jobFile, bool full = false) => IncrementalReleaseTests.Release(jobFile, full);

    private static int Replayed(ReleaseResult release) => IncrementalReleaseTests.IndexReport(release).GetProperty("join_chunks_replayed").GetInt32();

    private static int Chunks(ReleaseResult release) =>
        Directory.GetFiles(Path.Combine(release.Directory!, InstancesTable.Name), "*.parquet").Length;

    private static void AssertSameTables(ReleaseResult expected, ReleaseResult actual) => IncrementalReleaseTests.AssertSameTables(expected, actual);

    private static long DuplicatesQuarantined(ReleaseResult release, string path) => Convert.ToInt64(DuckDb.Scalar(
        $"SELECT count(*) FROM read_parquet({DuckDb.Parts(Path.Combine(release.Directory!, QuarantineTable.Schema.Name))}) WHERE path = '{path}' AND list_contains(rule_ids, 'Q-DUP-001')"));

    private static string CopyInto(string corpus, string folder, string original)
    {
        var relative = Path.GetRelativePath(corpus, original);
        var copy = Path.Combine(corpus, folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        File.Copy(original, copy);
        return Path.Combine(folder, relative).Replace('\\', '/');
    }

    /// <summary>A job whose profile quarantines quality findings from <paramref name="quarantineQualityAt"/> (identical copies are warnings).</summary>
    private static string WriteJob(string directory, string corpus, string quarantineQualityAt)
    {
        var profilePath = Path.Combine(directory, "profile.json");
        var profile = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(Fixtures.RepositoryRoot.Find(), "jobs", "profiles", "nccid-quarantine.json")))!;
        profile["gate"]!["quarantineQualityAt"] = quarantineQualityAt;
        File.WriteAllText(profilePath, profile.ToJsonString());
        var job = ReleasedCorpusFixture.WriteJob(Path.Combine(directory, "job.json"), corpus, Path.Combine(directory, "out"));
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(job))!;
        json["auditProfile"] = profilePath;
        File.WriteAllText(job, json.ToJsonString());
        return job;
    }

    [Theory]
    [InlineData("warning")]
    [InlineData("error")]
    public async Task Unchanged_chunks_are_replayed_and_the_chunks_a_new_copy_of_an_instance_reaches_are_joined_again(string quarantineQualityAt)
    {
        using var temp = new TempDirectory();
        var corpus = Path.Combine(temp.Path, "corpus");
        SyntheticCorpusGenerator.Generate(corpus, new SyntheticCorpusOptions { Patients = 30, Seed = 41 }, CancellationToken.None);
        var job = WriteJob(temp.Path, corpus, quarantineQualityAt);
        var original = Directory.GetFiles(Path.Combine(corpus, "training"), "*.dcm", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();
        var later = CopyInto(corpus, "zz-copies", original);

        var first = await Release(job);
        Assert.True(first.Published);
        Assert.Equal(0, Replayed(first));
        Assert.Equal(1, DuplicatesQuarantined(first, later));

        // Nothing changed: every chunk is replayed.
        var unchanged = await Release(job);
        Assert.Equal(Chunks(unchanged), Replayed(unchanged));
        AssertSameTables(first, unchanged);

        // A copy that sorts before the others: its chunk is new, and the chunks of the other copies are evaluated again
        // by the audit and joined from their rows; the others are replayed.
        var earlier = CopyInto(corpus, "aa-copies", original);
        var next = await Release(job);
        Assert.InRange(Replayed(next), 1, Chunks(next) - 3);
        Assert.Equal(1, DuplicatesQuarantined(next, later));
        var rebuilt = await Release(job, full: true);
        AssertSameTables(rebuilt, next);

        // And deleted again.
        File.Delete(Path.Combine(corpus, earlier));
        var after = await Release(job);
        Assert.InRange(Replayed(after), 1, Chunks(after) - 2);
        AssertSameTables(await Release(job, full: true), after);

        // A first copy of an instance held once so far, sorting before it: the instance's own chunk, where the audit
        // attributes nothing new, holds a copy released no more, so it is joined again.
        var single = Directory.GetFiles(Path.Combine(corpus, "validation"), "*.dcm", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();
        CopyInto(corpus, "aa-copies", single);
        var copied = await Release(job);
        Assert.Equal(1, DuplicatesQuarantined(copied, Path.GetRelativePath(corpus, single).Replace('\\', '/')));
        AssertSameTables(await Release(job, full: true), copied);
    }

    [Fact]
    public async Task A_replay_whose_decisions_on_repeated_uids_no_longer_hold_leaves_the_released_uids_as_they_were()
    {
        var record = new JoinRecord("digest");
        record.Decision("1.2.3", released: true);
        record.Decision("1.2.4", released: true);
        record.Decision("1.2.4", released: false);
        using var scratch = new TempDirectory();
        using var aggregation = new StudySeriesAggregation(scratch.Path, 16);
        aggregation.StartRecording();
        var payload = record.Encode(aggregation);
        var reuse = new PartReuse(null);

        var replay = (await JoinReplay.PrepareAsync(payload, "digest", 0, _ => "-", reuse, CancellationToken.None))!;
        var released = new HashSet<string>(StringComparer.Ordinal) { "9.9" };
        Assert.True(replay.TryReplay(released));
        Assert.Equal(["1.2.3", "1.2.4", "9.9"], released.Order(StringComparer.Ordinal));

        // Another copy of 1.2.4 came first this time: the chunk's first copy is no longer released, so it is joined again.
        replay = (await JoinReplay.PrepareAsync(payload, "digest", 0, _ => "-", reuse, CancellationToken.None))!;
        released = new HashSet<string>(StringComparer.Ordinal) { "9.9", "1.2.4" };
        Assert.False(replay.TryReplay(released));
        Assert.Equal(["1.2.4", "9.9"], released.Order(StringComparer.Ordinal));

        // What it depended on changed: no replay at all.
        Assert.Null(await JoinReplay.PrepareAsync(payload, "another digest", 0, _ => "-", reuse, CancellationToken.None));
    }

    [Fact]
    public async Task A_join_state_that_cannot_be_read_replays_nothing_and_the_tables_are_the_same()
    {
        using var temp = new TempDirectory();
        var corpus = Path.Combine(temp.Path, "corpus");
        SyntheticCorpusGenerator.Generate(corpus, new SyntheticCorpusOptions { Patients = 12, Seed = 43 }, CancellationToken.None);
        var job = ReleasedCorpusFixture.WriteJob(Path.Combine(temp.Path, "job.json"), corpus, Path.Combine(temp.Path, "out"));
        var first = await Release(job);
        var state = ReleaseIndex.JoinStatePath(Path.GetDirectoryName(first.Directory!)!);
        var bytes = await File.ReadAllBytesAsync(state);
        await File.WriteAllBytesAsync(state, bytes[..(bytes.Length / 2)]);

        var cut = await Release(job);
        Assert.Equal(0, Replayed(cut));
        AssertSameTables(first, cut);

        // That run wrote the state again, which the next one replays.
        var next = await Release(job);
        Assert.Equal(Chunks(next), Replayed(next));
        AssertSameTables(first, next);
    }
}
