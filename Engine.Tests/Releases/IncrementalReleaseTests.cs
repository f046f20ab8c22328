using System.Text.Json;
using Nccid.Batch.Releases;
using Nccid.Batch.Synthetic;
using Nccid.Batch.Tests.Tables;

namespace Nccid.Batch.Tests.Releases;

/// <summary>Release N+1 reads only what changed since release N, and its tables equal a full rebuild's.</summary>
public sealed class IncrementalReleaseTests
{
    private static Task<ReleaseResult> Release(string jobFile, bool full) =>
        ReleaseBuilder.RunAsync(ReleaseJobLoader.Load(jobFile), ReleaseBuilder.HashJobFile(jobFile), ReleasedCorpusFixture.ReleaseDate,
            new DateTimeOffset(2021, 6, 1, 12, 0, 0, TimeSpan.Zero), "test", TimeProvider.System, null, CancellationToken.None, fullScan: full);

    private static JsonElement Manifest(ReleaseResult release) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(release.Directory!, ReleaseManifest.FileName))).RootElement;

    private static JsonElement IndexReport(ReleaseResult release) =>
        JsonDocument.Parse(File.ReadAllText(ReleaseIndex.ReportPath(Path.GetDirectoryName(release.Directory!)!, release.ReleaseId))).RootElement;

    [Fact]
    public async Task The_next_release_parses_only_new_and_changed_files_and_equals_a_full_rebuild()
    {
        using var temp = new TempDirectory();
        var corpus = Path.Combine(temp.Path, "corpus");
        var extra = Path.Combine(temp.Path, "extra");
        SyntheticCorpusGenerator.Generate(corpus, new SyntheticCorpusOptions { Patients = 20, Seed = 21 }, CancellationToken.None);
        SyntheticCorpusGenerator.Generate(extra, new SyntheticCorpusOptions { Patients = 3, Seed = 121 }, CancellationToken.None);
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
        var added = 0;
        foreach (var file in Directory.GetFiles(extra, "*.dcm", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Skip(1).Take(5))
        {
            var target = Path.Combine(corpus, "added", Path.GetRelativePath(extra, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            added++;
        }

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

        var rebuilt = await Release(job, full: true);
        Assert.Equal("--full was given", IndexReport(rebuilt).GetProperty("reason").GetString());
        foreach (var (name, _) in ReleaseTables.All)
        {
            var a = Directory.GetFiles(Path.Combine(rebuilt.Directory!, name)).Order(StringComparer.Ordinal).ToArray();
            var b = Directory.GetFiles(Path.Combine(next.Directory!, name)).Order(StringComparer.Ordinal).ToArray();
            Assert.Equal(a.Select(Path.GetFileName), b.Select(Path.GetFileName));
            for (var i = 0; i < a.Length; i++) Assert.True(File.ReadAllBytes(a[i]).AsSpan().SequenceEqual(File.ReadAllBytes(b[i])), $"{name}/{Path.GetFileName(a[i])} differs");
        }
    }
}
