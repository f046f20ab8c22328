using System.Text.Json;
using Nccid.Batch.Releases;
using Nccid.Batch.Synthetic;
using Nccid.Batch.Tables;
using Nccid.Batch.Tests.Tables;

namespace Nccid.Batch.Tests.Releases;

/// <summary>Release N+1 reads only what changed since release N, and its tables equal a full rebuild's.</summary>
public sealed class IncrementalReleaseTests
{
    internal static Task<ReleaseResult> Release(string jobFile, bool full) =>
        ReleaseBuilder.RunAsync(ReleaseJobLoader.Load(jobFile), ReleaseBuilder.HashJobFile(jobFile), ReleasedCorpusFixture.ReleaseDate,
            new DateTimeOffset(2021, 6, 1, 12, 0, 0, TimeSpan.Zero), "test", TimeProvider.System, null, CancellationToken.None, fullScan: full);

    private static JsonElement Manifest(ReleaseResult release) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(release.Directory!, ReleaseManifest.FileName))).RootElement;

    internal static JsonElement IndexReport(ReleaseResult release) =>
        JsonDocument.Parse(File.ReadAllText(ReleaseIndex.ReportPath(Path.GetDirectoryName(release.Directory!)!, release.ReleaseId))).RootElement;

    internal static void AssertSameTables(ReleaseResult expected, ReleaseResult actual)
    {
        foreach (var (name, _) in ReleaseTables.All)
        {
            var a = Directory.GetFiles(Path.Combine(expected.Directory!, name)).Order(StringComparer.Ordinal).ToArray();
            var b = Directory.GetFiles(Path.Combine(actual.Directory!, name)).Order(StringComparer.Ordinal).ToArray();
            Assert.Equal(a.Select(Path.GetFileName), b.Select(Path.GetFileName));
            for (var i = 0; i < a.Length; i++) Assert.True(File.ReadAllBytes(a[i]).AsSpan().SequenceEqual(File.ReadAllBytes(b[i])), $"{name}/{Path.GetFileName(a[i])} differs");
        }
    }

    /// <summary>Generates a corpus and a second, smaller one to add files from, as <c>corpus</c> and <c>extra</c> under <paramref name="root"/>.</summary>
    internal static (string Corpus, string Extra) CorpusWithExtra(string root, int patients, ulong seed, int extraPatients, ulong extraSeed)
    {
        var corpus = Path.Combine(root, "corpus");
        var extra = Path.Combine(root, "extra");
        SyntheticCorpusGenerator.Generate(corpus, new SyntheticCorpusOptions { Patients = patients, Seed = seed }, CancellationToken.None);
        SyntheticCorpusGenerator.Generate(extra, new SyntheticCorpusOptions { Patients = extraPatients, Seed = extraSeed }, CancellationToken.None);
        return (corpus, extra);
    }

    /// <summary>Copies DICOM files of <paramref name="extra"/>, in path order, into <c>added/</c> of <paramref name="corpus"/>; returns how many.</summary>
    internal static int AddFiles(string extra, string corpus, int skip, int take)
    {
        var added = 0;
        foreach (var file in Directory.GetFiles(extra, "*.dcm", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Skip(skip).Take(take))
        {
            var target = Path.Combine(corpus, "added", Path.GetRelativePath(extra, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            added++;
        }

        return added;
    }

    [Fact]
    public async Task The_next_release_parses_only_new_and_changed_files_and_equals_a_full_rebuild()
    {
        using var temp = new TempDirectory();
        var (corpus, extra) = CorpusWithExtra(temp.Path, patients: 20, seed: 21, extraPatients: 3, extraSeed: 121);
        var job = ReleasedCorpusFixture.WriteJob(Path.Combine(temp.Path, "job.json"), corpus, Path.Combine(temp.Path, "out"));

        var first = await Release(job, full: false);
        Assert.True(first.Published);
        var listed = Manifest(first).GetProperty("inputs").GetProperty("dicom_files").GetInt64();
        Assert.Equal(listed, IndexReport(first).GetProperty("parsed_new").GetInt64());
        Assert.Equal("no index yet", IndexReport(first).GetProperty("reason").GetString());

        var dicom = Directory.GetFiles(corpus, "*.dcm", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        File.Delete(dicom[3]);
        File.Copy(Directory.GetFiles(extra, "*.dcm", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First(), dicom[7], overwrite: true);
        File.SetLastWriteTimeUtc(dicom[7], new DateTime(2021, 5, 30, 0, 0, 0, DateTimeKind.Utc));
        var added = AddFiles(extra, corpus, skip: 1, take: 5);

        var next = await Release(job, full: false);
        var report = IndexReport(next);
        Assert.Equal("incremental", report.GetProperty("mode").GetString());
        Assert.Equal(added, report.GetProperty("parsed_new").GetInt64());
        Assert.Equal(1, report.GetProperty("parsed_changed").GetInt64());
        Assert.Equal(1, report.GetProperty("deleted").GetInt64());
        Assert.Equal(listed - 2, report.GetProperty("reused").GetInt64());
        // What the run prints says so too: its byte counts describe the rows, and how much of them earlier runs read.
        Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"Scan index: incremental (unchanged files reused): {listed - 2:N0} reused, {added:N0} new, 1 changed"), next.Describe(), StringComparison.Ordinal);
        Assert.Equal(listed - 2, next.Audit.Scan.Reused);
        Assert.InRange(next.Audit.Scan.ReusedBytesRead, 1, next.Audit.Scan.BytesRead - 1);
        Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"for the {listed - 2:N0} rows reused from the scan index"),
            next.Describe(), StringComparison.Ordinal);
        // The report beside the releases says where the time went, phase by phase, as the result does.
        string[] phases = ["clinical", "audit", "join", "tables", "manifest and documents", "checks", "verify", "publish"];
        Assert.Equal(phases, next.Phases.Select(p => p.Name));
        Assert.Equal(phases, report.GetProperty("phases").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.All(next.Phases, p => Assert.True(p.Seconds >= 0 && p.GcPauseSeconds >= 0 && p.GcPauseSeconds <= p.Seconds + 0.001, p.ToString()));
        Assert.True(next.Phases.Sum(p => p.Seconds) > 0);
        Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Phases: clinical {next.Phases[0].Seconds:0.00} s, audit "), next.Describe(), StringComparison.Ordinal);

        var rebuilt = await Release(job, full: true);
        Assert.Equal("--full was given", IndexReport(rebuilt).GetProperty("reason").GetString());
        AssertSameTables(rebuilt, next);
    }

    [Fact]
    public async Task An_imaging_outcomes_part_whose_rows_are_unchanged_is_taken_over_and_one_whose_patient_record_changed_is_written_again()
    {
        using var temp = new TempDirectory();
        var corpus = Path.Combine(temp.Path, "corpus");
        SyntheticCorpusGenerator.Generate(corpus, new SyntheticCorpusOptions { Patients = 400, Seed = 33 }, CancellationToken.None);
        var job = ReleasedCorpusFixture.WriteJob(Path.Combine(temp.Path, "job.json"), corpus, Path.Combine(temp.Path, "out"));
        var first = await Release(job, full: false);
        Assert.True(first.Published);
        var firstParts = Directory.GetFiles(Path.Combine(first.Directory!, ImagingOutcomesTable.Schema.Name), "*.parquet");
        Assert.True(firstParts.Length >= 2, $"{firstParts.Length} imaging_outcomes parts");

        // No image changes; one patient's latest clinical record gives another age, which every row of that patient shows.
        var record = Directory.GetFiles(corpus, "data_*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Last();
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(record))!;
        json["Age"] = "17";
        File.WriteAllText(record, json.ToJsonString());

        var next = await Release(job, full: false);
        var nextParts = Directory.GetFiles(Path.Combine(next.Directory!, ImagingOutcomesTable.Schema.Name), "*.parquet");
        var takenOver = Fixtures.FileIdentity.Of(nextParts).Intersect(Fixtures.FileIdentity.Of(firstParts)).Count();
        Assert.InRange(takenOver, 1, nextParts.Length - 1);
        // The join replays the chunks of the other patients, and joins that patient's chunk from its rows.
        Assert.Equal(takenOver, IndexReport(next).GetProperty("join_chunks_replayed").GetInt32());
        var pseudonym = json["Pseudonym"]!.GetValue<string>();
        Assert.Equal(17, Convert.ToInt32(DuckDb.Scalar(
            $"SELECT DISTINCT age FROM read_parquet({DuckDb.Parts(Path.Combine(next.Directory!, ImagingOutcomesTable.Schema.Name))}) WHERE pseudonym = '{pseudonym}'")));

        var rebuilt = await Release(job, full: true);
        AssertSameTables(rebuilt, next);
    }

    [Fact]
    public async Task A_part_damaged_since_it_was_published_is_not_taken_over_and_its_chunk_is_written_again()
    {
        using var temp = new TempDirectory();
        var corpus = Path.Combine(temp.Path, "corpus");
        SyntheticCorpusGenerator.Generate(corpus, new SyntheticCorpusOptions { Patients = 20, Seed = 22 }, CancellationToken.None);
        var job = ReleasedCorpusFixture.WriteJob(Path.Combine(temp.Path, "job.json"), corpus, Path.Combine(temp.Path, "out"));
        await Release(job, full: false);
        var unchanged = await Release(job, full: false);
        var takenOver = IndexReport(unchanged).GetProperty("table_parts_taken_over").GetInt32();
        Assert.True(takenOver > 0, "nothing was taken over from the first release");
        Assert.Equal(0, IndexReport(unchanged).GetProperty("table_chunks_refused").GetInt32());

        // One byte of a published instances part changes on disk (its footer, and so its chunk's label, still reads).
        var damaged = Directory.GetFiles(Path.Combine(unchanged.Directory!, InstancesTable.Name), "*.parquet").Order(StringComparer.Ordinal).First();
        var bytes = File.ReadAllBytes(damaged);
        bytes[bytes.Length / 3] ^= 0x5A;
        File.WriteAllBytes(damaged, bytes);

        var next = await Release(job, full: false);
        var report = IndexReport(next);
        Assert.Equal(1, report.GetProperty("table_chunks_refused").GetInt32());
        var reason = report.GetProperty("table_chunk_refusals").EnumerateArray().Single().GetString()!;
        Assert.Contains($"'{InstancesTable.Name}/{Path.GetFileName(damaged)}' of '{unchanged.Directory}' does not match the SHA-256 in its manifest", reason, StringComparison.Ordinal);
        Assert.Contains("Warning: 1 chunk of the previous release written again, not taken over: " + reason, next.Describe(), StringComparison.Ordinal);
        Assert.Equal(takenOver - 1, report.GetProperty("table_parts_taken_over").GetInt32());

        // The chunk is written again from the index, as it was first published: the tables equal a full rebuild's.
        var rebuilt = await Release(job, full: true);
        AssertSameTables(rebuilt, next);

        // A release whose manifest cannot be read has nothing that can be checked, so nothing of it is taken over.
        File.WriteAllText(Path.Combine(rebuilt.Directory!, ReleaseManifest.FileName), "{");
        var after = IndexReport(await Release(job, full: false));
        Assert.Equal(0, after.GetProperty("table_parts_taken_over").GetInt32());
        Assert.True(after.GetProperty("table_chunks_refused").GetInt32() > 0);
        Assert.All(after.GetProperty("table_chunk_refusals").EnumerateArray(), r => Assert.EndsWith("is not listed in its manifest", r.GetString(), StringComparison.Ordinal));
    }
}
