using System.Text.Json;
using Nccid.Batch.Releases;
using Nccid.Batch.Synthetic;
using Nccid.Batch.Tests.Tables;

namespace Nccid.Batch.Tests.Releases;

/// <summary>A synthetic corpus released twice with the same job and date, shared by the release tests.</summary>
public sealed class ReleasedCorpusFixture : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();

    public static readonly DateOnly ReleaseDate = new(2021, 6, 1);

    public string Corpus => Path.Combine(_temp.Path, "corpus");

    public string Output => Path.Combine(_temp.Path, "out");

    public string JobFile => Path.Combine(_temp.Path, "job.json");

    public ReleaseResult First { get; private set; } = null!;

    public ReleaseResult Second { get; private set; } = null!;

    public static string WriteJob(string path, string source, string output, string profile = "nccid-quarantine", string extra = "")
    {
        var profilePath = Path.Combine(Fixtures.RepositoryRoot.Find(), "jobs", "profiles", profile + ".json");
        File.WriteAllText(path, $$"""
            {
              "name": "test-release",
              "source": {{JsonSerializer.Serialize(source)}},
              "output": {{JsonSerializer.Serialize(output)}},
              "auditProfile": {{JsonSerializer.Serialize(profile == "nccid" ? "nccid" : profilePath)}},
              "split": { "default": "split", "trainingPercent": 70 },
              "parallelism": 4{{extra}}
            }
            """);
        return path;
    }

    public async Task InitializeAsync()
    {
        SyntheticCorpusGenerator.Generate(Corpus, new SyntheticCorpusOptions { Patients = 80, Seed = 11 }, CancellationToken.None);
        WriteJob(JobFile, Corpus, Output);
        First = await Run(JobFile);
        Second = await Run(JobFile);
    }

    public static Task<ReleaseResult> Run(string jobFile, CancellationToken cancellationToken = default, Action<Nccid.Batch.Pipeline.ScanProgress>? onStarted = null,
        Func<Nccid.Batch.Storage.S3StoreOptions, S3ReleasePublisher>? openPublisher = null) =>
        ReleaseBuilder.RunAsync(ReleaseJobLoader.Load(jobFile), ReleaseBuilder.HashJobFile(jobFile), ReleaseDate,
            new DateTimeOffset(2021, 6, 1, 12, 0, 0, TimeSpan.Zero), "test", TimeProvider.System, onStarted, cancellationToken, openPublisher);

    public Task DisposeAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class ReleaseBuilderTests(ReleasedCorpusFixture release) : IClassFixture<ReleasedCorpusFixture>
{
    private static string Table(string releaseDir, string name) => DuckDb.Parts(Path.Combine(releaseDir, name));

    [Fact]
    public void A_release_is_published_with_LATEST_naming_the_newest()
    {
        Assert.True(release.First.Published);
        Assert.True(release.Second.Published);
        Assert.NotEqual(release.First.ReleaseId, release.Second.ReleaseId);
        var releases = Path.Combine(release.Output, "releases");
        Assert.Equal(release.Second.ReleaseId, File.ReadAllText(Path.Combine(releases, "LATEST")).Trim());
        Assert.Empty(Directory.GetDirectories(releases, ".staging-*"));
        foreach (var file in new[] { "manifest.json", "README.md", "summary.json", "report.html" })
        {
            Assert.True(File.Exists(Path.Combine(release.First.Directory!, file)), file);
        }

        // The scan's reproducible figures: the listing and the bytes, never a rate or a time.
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(release.First.Directory!, "summary.json")));
        var scan = summary.RootElement.GetProperty("scan");
        Assert.Equal("folder", scan.GetProperty("listing").GetProperty("method").GetString());
        Assert.Equal(release.First.Audit.Scan.Files, scan.GetProperty("objects").GetInt64());
        Assert.Equal(release.First.Audit.Scan.BytesRead, scan.GetProperty("bytes_fetched").GetInt64());
        Assert.False(scan.TryGetProperty("objects_per_second", out _));
        Assert.False(scan.TryGetProperty("elapsed_seconds", out _));
    }

    [Fact]
    public async Task Verification_reports_a_changed_part_a_missing_part_and_rows_that_no_longer_add_up_in_the_manifests_order()
    {
        using var temp = new TempDirectory();
        var copy = Path.Combine(temp.Path, "release");
        foreach (var file in Directory.GetFiles(release.First.Directory!, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(release.First.Directory!, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        Assert.Empty(await ReleaseManifest.VerifyAsync(copy, CancellationToken.None));
        var changed = Directory.GetFiles(Path.Combine(copy, "instances"), "*.parquet").Order(StringComparer.Ordinal).Last();
        var bytes = File.ReadAllBytes(changed);
        bytes[bytes.Length / 3] ^= 0x5A;
        File.WriteAllBytes(changed, bytes);
        var removed = Directory.GetFiles(Path.Combine(copy, "deid_findings"), "*.parquet").Order(StringComparer.Ordinal).First();
        var removedRows = await ReleaseManifest.CountRowsAsync(removed, CancellationToken.None);
        Assert.True(removedRows > 0);
        File.Delete(removed);

        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(copy, ReleaseManifest.FileName)));
        var deidRows = manifest.RootElement.GetProperty("tables").GetProperty("deid_findings").GetProperty("rows").GetInt64();
        var byTable = new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            ["instances"] = [$"instances: instances/{Path.GetFileName(changed)} does not match its SHA-256."],
            ["deid_findings"] = [$"deid_findings: deid_findings/{Path.GetFileName(removed)} is missing.", $"deid_findings: {deidRows - removedRows} rows on disk, {deidRows} in the manifest."],
        };
        var expected = manifest.RootElement.GetProperty("tables").EnumerateObject().SelectMany(t => byTable.GetValueOrDefault(t.Name) ?? []).ToArray();
        Assert.Equal(expected, await ReleaseManifest.VerifyAsync(copy, CancellationToken.None));
    }

    [Fact]
    public async Task The_manifest_matches_every_table_as_DuckDB_reads_it()
    {
        Assert.Empty(await ReleaseManifest.VerifyAsync(release.First.Directory!, CancellationToken.None));
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(release.First.Directory!, ReleaseManifest.FileName)));
        var tables = manifest.RootElement.GetProperty("tables");
        foreach (var (name, _) in ReleaseTables.All)
        {
            var rows = tables.GetProperty(name).GetProperty("rows").GetInt64();
            Assert.Equal(rows, Convert.ToInt64(DuckDb.Scalar($"SELECT count(*) FROM read_parquet({Table(release.First.Directory!, name)})")));
        }

        Assert.True(tables.GetProperty("imaging_outcomes").GetProperty("rows").GetInt64() > 100);
        Assert.True(tables.GetProperty("patients").GetProperty("rows").GetInt64() >= 70);
    }

    [Fact]
    public void Two_runs_of_the_same_job_give_byte_identical_tables()
    {
        foreach (var (name, _) in ReleaseTables.All)
        {
            var a = Directory.GetFiles(Path.Combine(release.First.Directory!, name)).Order(StringComparer.Ordinal).ToArray();
            var b = Directory.GetFiles(Path.Combine(release.Second.Directory!, name)).Order(StringComparer.Ordinal).ToArray();
            Assert.Equal(a.Select(Path.GetFileName), b.Select(Path.GetFileName));
            for (var i = 0; i < a.Length; i++) Assert.True(File.ReadAllBytes(a[i]).AsSpan().SequenceEqual(File.ReadAllBytes(b[i])), $"{name}/{Path.GetFileName(a[i])} differs");
        }
    }

    [Fact]
    public void Every_joined_outcome_equals_the_patients_clinical_record()
    {
        var dir = release.First.Directory!;
        var mismatches = DuckDb.Scalar($"""
            SELECT count(*) FROM read_parquet({Table(dir, "imaging_outcomes")}) o
            JOIN read_parquet({Table(dir, "patients")}) p ON o.pseudonym = p.pseudonym
            WHERE o.death IS DISTINCT FROM p.death OR o.itu_admission IS DISTINCT FROM p.itu_admission
               OR o.swab_date IS DISTINCT FROM p.swab_date OR o.split IS DISTINCT FROM p.split OR o.covid_status IS DISTINCT FROM p.status
            """);
        Assert.Equal(0L, Convert.ToInt64(mismatches));
        var joined = Convert.ToInt64(DuckDb.Scalar($"SELECT count(*) FILTER (WHERE has_clinical_record) FROM read_parquet({Table(dir, "imaging_outcomes")})"));
        Assert.True(joined > 0);
    }

    [Fact]
    public void Quarantined_instances_are_left_out_of_the_analyst_tables_and_listed()
    {
        var dir = release.First.Directory!;
        var quarantined = Convert.ToInt64(DuckDb.Scalar($"SELECT count(*) FROM read_parquet({Table(dir, "quarantine")}) WHERE kind = 'instance'"));
        Assert.True(quarantined > 0, "the corpus has injected defects, so some instances must be quarantined");
        var leaked = Convert.ToInt64(DuckDb.Scalar($"""
            SELECT count(*) FROM read_parquet({Table(dir, "imaging_outcomes")}) o
            JOIN read_parquet({Table(dir, "quarantine")}) q ON o.path = q.path
            """));
        Assert.Equal(0L, leaked);
        var okInstances = Convert.ToInt64(DuckDb.Scalar($"SELECT count(*) FROM read_parquet({Table(dir, "instances")}) WHERE status = 'ok'"));
        var outcomes = Convert.ToInt64(DuckDb.Scalar($"SELECT count(*) FROM read_parquet({Table(dir, "imaging_outcomes")})"));
        var quarantinedOk = Convert.ToInt64(DuckDb.Scalar($"""
            SELECT count(*) FROM read_parquet({Table(dir, "instances")}) i JOIN read_parquet({Table(dir, "quarantine")}) q ON i.path = q.path WHERE i.status = 'ok'
            """));
        Assert.Equal(okInstances - quarantinedOk, outcomes);
    }

    [Fact]
    public void Row_counts_follow_the_corpus_and_every_injected_defect_is_kept_out_of_imaging_outcomes()
    {
        var dir = release.First.Directory!;
        var dicomFiles = Directory.GetFiles(release.Corpus, "*.dcm", SearchOption.AllDirectories).Length;
        Assert.Equal((long)dicomFiles, Convert.ToInt64(DuckDb.Scalar($"SELECT count(*) FROM read_parquet({Table(dir, "instances")})")));
        Assert.Equal(80L, Convert.ToInt64(DuckDb.Scalar($"SELECT count(*) FROM read_parquet({Table(dir, "patients")})")));

        var released = DuckDb.Query($"SELECT path FROM read_parquet({Table(dir, "imaging_outcomes")})").Select(r => (string)r[0]!).ToHashSet(StringComparer.Ordinal);
        var defects = File.ReadLines(Path.Combine(release.Corpus, SyntheticCorpusGenerator.LedgerFileName))
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement)
            .Where(r => r.GetProperty("kind").GetString() != "clinical_value")
            .Select(r => (Kind: r.GetProperty("kind").GetString()!, Path: r.GetProperty("path").GetString()!,
                Related: r.TryGetProperty("related", out var rel) ? rel.GetString() : null))
            .Where(d => d.Path.EndsWith(".dcm", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(defects);
        foreach (var (kind, path, related) in defects)
        {
            if (kind == "duplicate_sop_instance_uid" && related is not null)
            {
                // An instance sent twice is released at most once (once when the copies are identical).
                Assert.False(released.Contains(path) && released.Contains(related), $"{path} and {related} were both released");
                continue;
            }

            // An identifier is withheld with its element (checked by the leak test below); the image itself may be released.
            if (kind.StartsWith("identifier", StringComparison.Ordinal)) continue;
            Assert.False(released.Contains(path), $"{path} carries an injected {kind} but was released");
        }
    }

    [Fact]
    public void No_injected_identifier_reaches_any_file_of_the_release()
    {
        var identifiers = File.ReadLines(Path.Combine(release.Corpus, SyntheticCorpusGenerator.LedgerFileName))
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement)
            .Where(r => r.GetProperty("kind").GetString()!.StartsWith("identifier", StringComparison.Ordinal))
            .Select(r => r.GetProperty("detail").GetString()!).Where(Audit.AuditLedgerTests.Searchable).Distinct(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(identifiers);
        foreach (var file in Directory.EnumerateFiles(release.First.Directory!, "*", SearchOption.AllDirectories))
        {
            var text = file.EndsWith(".parquet", StringComparison.Ordinal) ? Audit.AuditLedgerTests.ParquetText(file) : File.ReadAllText(file);
            foreach (var identifier in identifiers)
            {
                Assert.False(text.Contains(identifier, StringComparison.Ordinal), $"{Path.GetRelativePath(release.First.Directory!, file)} contains the injected identifier '{identifier}' (synthetic)");
            }
        }
    }

    [Fact]
    public void Canonical_analyst_queries_run_on_the_release()
    {
        var dir = release.First.Directory!;
        var perCentre = DuckDb.Query($"SELECT submitting_centre, modality, count(*) FROM read_parquet({Table(dir, "imaging_outcomes")}) GROUP BY ALL ORDER BY ALL");
        Assert.True(perCentre.Count > 1);
        var positivesBySplit = DuckDb.Query($"SELECT split, count(*) FROM read_parquet({Table(dir, "patients")}) WHERE status = 'positive' GROUP BY ALL ORDER BY ALL");
        Assert.All(positivesBySplit, r => Assert.Contains((string)r[0]!, new[] { "training", "validation" }));
        var studies = Convert.ToInt64(DuckDb.Scalar($"SELECT count(DISTINCT study_instance_uid) FROM read_parquet({Table(dir, "imaging_outcomes")})"));
        Assert.Equal(studies, Convert.ToInt64(DuckDb.Scalar($"SELECT count(*) FROM read_parquet({Table(dir, "studies")})")));
    }

    [Fact]
    public async Task Excluding_by_collection_window_quarantines_exactly_the_flagged_images()
    {
        var flagged = DuckDb.Query($"SELECT path FROM read_parquet({Table(release.First.Directory!, "imaging_outcomes")}) WHERE in_collection_window = false")
            .Select(r => (string)r[0]!).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(flagged);
        using var temp = new TempDirectory();
        var job = ReleasedCorpusFixture.WriteJob(Path.Combine(temp.Path, "job.json"), release.Corpus, Path.Combine(temp.Path, "out"),
            extra: ",\n  \"collectionWindows\": \"exclude\"");
        var excluded = await ReleasedCorpusFixture.Run(job);
        var dir = excluded.Directory!;
        var quarantined = DuckDb.Query($"SELECT path FROM read_parquet({Table(dir, "quarantine")}) WHERE list_contains(rule_ids, 'R-WINDOW-001')")
            .Select(r => (string)r[0]!).ToHashSet(StringComparer.Ordinal);
        Assert.True(flagged.SetEquals(quarantined), $"{flagged.Count} flagged, {quarantined.Count} quarantined");
        Assert.Equal(0L, Convert.ToInt64(DuckDb.Scalar($"SELECT count(*) FROM read_parquet({Table(dir, "imaging_outcomes")}) WHERE in_collection_window = false")));
        var kept = Convert.ToInt64(DuckDb.Scalar($"SELECT count(*) FROM read_parquet({Table(dir, "imaging_outcomes")})"));
        var before = Convert.ToInt64(DuckDb.Scalar($"SELECT count(*) FROM read_parquet({Table(release.First.Directory!, "imaging_outcomes")})"));
        Assert.Equal(before - flagged.Count, kept);
    }

    [Fact]
    public async Task A_cancelled_release_leaves_nothing_visible()
    {
        using var temp = new TempDirectory();
        var output = Path.Combine(temp.Path, "out");
        var job = ReleasedCorpusFixture.WriteJob(Path.Combine(temp.Path, "job.json"), release.Corpus, output);
        using var cts = new CancellationTokenSource();

        // Cancelled once the scan has started writing into the staging folder: the middle of the run.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ReleasedCorpusFixture.Run(job, cts.Token, _ => cts.Cancel()));
        var releases = Path.Combine(output, "releases");
        Assert.False(File.Exists(Path.Combine(releases, "LATEST")));
        Assert.Equal(new[] { "state" }, Directory.GetDirectories(releases).Select(d => Path.GetFileName(d)).Where(n => n != "state").Append("state").ToArray());
    }

    [Fact]
    public async Task A_failed_gate_publishes_nothing()
    {
        using var temp = new TempDirectory();
        var output = Path.Combine(temp.Path, "out");
        var job = ReleasedCorpusFixture.WriteJob(Path.Combine(temp.Path, "job.json"), release.Corpus, output, profile: "nccid");
        var result = await ReleasedCorpusFixture.Run(job);
        Assert.False(result.Published);
        Assert.False(result.Audit.GatePassed);
        Assert.False(File.Exists(Path.Combine(output, "releases", "LATEST")));
        Assert.Equal(new[] { "state" }, Directory.GetDirectories(Path.Combine(output, "releases")).Select(d => Path.GetFileName(d)).Where(n => n != "state").Append("state").ToArray());
    }
}
