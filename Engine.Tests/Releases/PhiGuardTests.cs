using System.Text.Json;
using Nccid.Batch.Audit;
using Nccid.Batch.Releases;
using Nccid.Batch.Synthetic;
using Nccid.Batch.Tests.Tables;

namespace Nccid.Batch.Tests.Releases;

/// <summary>
/// The guard before publishing: a profile whose rule switches let an attribute it requires removing through to the
/// tables makes the release fail, naming each table, column and attribute, unless the job allows the attribute.
/// </summary>
public sealed class PhiGuardTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public PhiGuardTests()
    {
        SyntheticCorpusGenerator.Generate(Corpus, new SyntheticCorpusOptions { Patients = 12, Seed = 5 }, CancellationToken.None);

        // The nccid options (StudyDescription is X: removed, as Clean Descriptors is not claimed), with the audit rule
        // that would flag and withhold it switched off: the tables would carry it.
        var profile = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures.RepositoryRoot.Find(), "jobs", "profiles", "nccid-quarantine.json"))).RootElement;
        var withRule = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var p in profile.EnumerateObject()) withRule[p.Name] = p.Value;
        withRule["name"] = "description-rule-off";
        withRule["rules"] = new Dictionary<string, object> { ["D-E1-StudyDescription"] = new { enabled = false } };
        File.WriteAllText(ProfileFile, JsonSerializer.Serialize(withRule));
    }

    private string Corpus => Path.Combine(_temp.Path, "corpus");

    private string ProfileFile => Path.Combine(_temp.Path, "description-rule-off.json");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_release_that_would_carry_an_attribute_to_remove_fails_naming_where_and_publishes_nothing()
    {
        var output = Path.Combine(_temp.Path, "out");
        var job = WriteJob(output, allow: null);

        var failure = await Assert.ThrowsAsync<ReleaseCheckException>(() => ReleasedCorpusFixture.Run(job));

        Assert.StartsWith("The release would carry attributes its audit profile requires removing; nothing was published.", failure.Message, StringComparison.Ordinal);
        Assert.Matches(@"instances\.StudyDescription holds \d+ values of StudyDescription \(0008,1030\), which the 'description-rule-off' profile requires removing \(X\)\.", failure.Message);
        Assert.Matches(@"instances\.header_json holds \d+ values of StudyDescription \(0008,1030\)", failure.Message);
        Assert.Matches(@"studies\.study_description holds \d+ values of StudyDescription", failure.Message);
        Assert.Contains("$.allowAttributes", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Chest", failure.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(await PublishedReleases.AssertWholeAsync(output, "refused release"));
        Assert.False(File.Exists(Path.Combine(output, "releases", "LATEST")));
        Assert.Empty(PublishedReleases.Leftovers(output));
    }

    [Fact]
    public async Task The_same_release_is_published_when_the_job_allows_the_attribute()
    {
        var output = Path.Combine(_temp.Path, "out");
        var job = WriteJob(output, allow: "StudyDescription");

        var result = await ReleasedCorpusFixture.Run(job);

        Assert.True(result.Published);
        var instances = DuckDb.Parts(Path.Combine(result.Directory!, "instances"));
        var carried = Convert.ToInt64(DuckDb.Scalar($"SELECT count(*) FROM read_parquet({instances}) WHERE StudyDescription IS NOT NULL"));
        Assert.True(carried > 0, "the guard had nothing to find: the corpus carries no StudyDescription");
        Assert.True(Convert.ToInt64(DuckDb.Scalar($"SELECT count(*) FROM read_parquet({instances}) WHERE header_json LIKE '%\"00081030\"%'")) > 0);

        // What the guard counts of the published tables, with nothing allowed, is what DuckDB counts in them.
        var studies = DuckDb.Parts(Path.Combine(result.Directory!, "studies"));
        var profile = AuditProfileLoader.Load(ProfileFile);
        var problems = await PhiGuard.CheckAsync(result.Directory!, profile, [], CancellationToken.None);
        long Count(string sql) => Convert.ToInt64(DuckDb.Scalar(sql));
        Assert.Contains(problems, p => p.StartsWith($"instances.StudyDescription holds {Count($"SELECT count(*) FROM read_parquet({instances}) WHERE StudyDescription <> ''")} values ",
            StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith($"instances.header_json holds {Count($"SELECT count(*) FROM read_parquet({instances}) WHERE header_json LIKE '%\"00081030\"%'")} values ",
            StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith($"studies.study_description holds {Count($"SELECT count(*) FROM read_parquet({studies}) WHERE study_description <> ''")} values ",
            StringComparison.Ordinal));
    }

    [Fact]
    public async Task What_the_guard_remembers_of_unchanged_parts_still_fails_a_release_whose_job_no_longer_allows_the_attribute()
    {
        var output = Path.Combine(_temp.Path, "out");
        Assert.True((await ReleasedCorpusFixture.Run(WriteJob(output, allow: "StudyDescription"))).Published);
        Assert.True(File.Exists(Path.Combine(output, "index", "phi-guard.json")));

        // The next release takes the parts over unchanged, and the guard takes what it found in them from its cache.
        var failure = await Assert.ThrowsAsync<ReleaseCheckException>(() => ReleasedCorpusFixture.Run(WriteJob(output, allow: null)));
        Assert.Matches(@"instances\.header_json holds \d+ values of StudyDescription \(0008,1030\)", failure.Message);
        Assert.Matches(@"instances\.StudyDescription holds \d+ values of StudyDescription", failure.Message);

        // A cache it cannot read is no shortcut: the parts are read again, with the same result.
        await File.WriteAllTextAsync(Path.Combine(output, "index", "phi-guard.json"), "{ not json");
        var again = await Assert.ThrowsAsync<ReleaseCheckException>(() => ReleasedCorpusFixture.Run(WriteJob(output, allow: null)));
        Assert.Equal(failure.Message, again.Message);
    }

    [Fact]
    public async Task The_default_nccid_release_passes_the_guard_because_the_audit_withholds_what_the_profile_removes()
    {
        var output = Path.Combine(_temp.Path, "out");
        var job = ReleasedCorpusFixture.WriteJob(Path.Combine(_temp.Path, "default.json"), Corpus, output);

        var result = await ReleasedCorpusFixture.Run(job);

        Assert.True(result.Published);
        var instances = DuckDb.Parts(Path.Combine(result.Directory!, "instances"));
        Assert.Equal(0L, Convert.ToInt64(DuckDb.Scalar($"SELECT count(*) FROM read_parquet({instances}) WHERE StudyDescription IS NOT NULL OR header_json LIKE '%\"00081030\"%'")));
    }

    [Fact]
    public void An_allowed_attribute_that_is_not_in_the_profile_table_is_a_job_file_error()
    {
        var job = WriteJob(Path.Combine(_temp.Path, "out"), allow: "StudyDescriptoin");
        var error = Assert.Throws<JobFileException>(() => ReleaseJobLoader.Load(job));
        Assert.Contains("at $.allowAttributes[0]: 'StudyDescriptoin' is not the keyword of an attribute of the de-identification profile", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_column_counts_its_non_empty_values_whether_it_is_nullable_or_required()
    {
        var release = Path.Combine(_temp.Path, "release");
        await WritePartAsync(Path.Combine(release, "instances", "part-00000.parquet"), nullable: true, ["head", "", null, "chest", null]);
        await WritePartAsync(Path.Combine(release, "instances", "part-00001.parquet"), nullable: false, ["b", "", "x"]);

        var problems = await PhiGuard.CheckAsync(release, AuditProfile.Nccid, [], CancellationToken.None);

        Assert.Equal(["instances.StudyDescription holds 4 values of StudyDescription (0008,1030), which the 'nccid' profile requires removing (X)."], problems);
    }

    [Fact]
    public async Task A_part_found_in_the_cache_is_not_read_again_for_its_columns_and_an_allowed_column_is_still_counted_for_the_next_job()
    {
        var release = Path.Combine(_temp.Path, "release");
        var cacheFile = Path.Combine(_temp.Path, "phi-guard.json");
        await WritePartAsync(Path.Combine(release, "instances", "part-00000.parquet"), nullable: true, ["head", "", null, "chest", "neck"]);

        // Allowed, the column is not a problem, but what it holds is kept for a job that does not allow it.
        Assert.Empty(await PhiGuard.CheckAsync(release, AuditProfile.Nccid, ["StudyDescription"], CancellationToken.None, cacheFile));
        var cache = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(cacheFile))!;
        var part = cache["Parts"]!.AsObject().Single().Value!;
        Assert.Equal(3, (long)part["Columns"]!["StudyDescription"]!);

        // The count comes from the cache (changed here to tell it apart from the part's own): the part is not read again.
        part["Columns"]!["StudyDescription"] = 9;
        File.WriteAllText(cacheFile, cache.ToJsonString());
        var problems = await PhiGuard.CheckAsync(release, AuditProfile.Nccid, [], CancellationToken.None, cacheFile);
        Assert.Equal(["instances.StudyDescription holds 9 values of StudyDescription (0008,1030), which the 'nccid' profile requires removing (X)."], problems);

        // A cache of another layout is not trusted: the part is read.
        cache["Layout"] = 1;
        File.WriteAllText(cacheFile, cache.ToJsonString());
        problems = await PhiGuard.CheckAsync(release, AuditProfile.Nccid, [], CancellationToken.None, cacheFile);
        Assert.Equal(["instances.StudyDescription holds 3 values of StudyDescription (0008,1030), which the 'nccid' profile requires removing (X)."], problems);
    }

    private static async Task WritePartAsync(string path, bool nullable, string?[] values)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var field = new Parquet.Schema.DataField<string>("StudyDescription", nullable);
        await using var stream = File.Create(path);
        await using var writer = await Parquet.ParquetWriter.CreateAsync(new Parquet.Schema.ParquetSchema(field), stream);
        using var group = writer.CreateRowGroup();
        await group.WriteAsync(field, values);
    }

    private string WriteJob(string output, string? allow)
    {
        var path = Path.Combine(_temp.Path, "job.json");
        File.WriteAllText(path, $$"""
            {
              "name": "guarded",
              "source": {{JsonSerializer.Serialize(Corpus)}},
              "output": {{JsonSerializer.Serialize(output)}},
              "auditProfile": {{JsonSerializer.Serialize(ProfileFile)}},
              "split": { "default": "split", "trainingPercent": 70 },
              "parallelism": 4{{(allow is null ? string.Empty : $",\n  \"allowAttributes\": [\"{allow}\"]")}}
            }
            """);
        return path;
    }
}
