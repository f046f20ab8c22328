using System.Text.Json;
using Nccid.Batch.Audit;
using Nccid.Batch.Index;
using Nccid.Batch.Storage;
using Nccid.Batch.Synthetic;
using Nccid.Batch.Tables;
using Nccid.Batch.Tests.Tables;

namespace Nccid.Batch.Tests.Index;

/// <summary>The audit run again into the same output reads only new and changed files and writes what a full run writes.</summary>
public sealed class IncrementalAuditTests
{
    private static readonly DateOnly Today = new(2022, 1, 1);

    private static long DuplicateFindingsOn(string output, string path) =>
        Convert.ToInt64(DuckDb.Scalar($"SELECT count(*) FROM read_parquet({DuckDb.Parts(Path.Combine(output, "quality_findings"))}) WHERE rule_id LIKE 'Q-DUP%' AND path = '{path}'"));

    [Fact]
    public async Task After_adding_changing_and_deleting_files_the_tables_equal_a_full_runs_and_only_those_files_are_read()
    {
        using var corpus = new IndexedCorpus();
        var output = corpus.Out("out");
        var first = await IndexedCorpus.AuditIndexed(corpus.Live, output, AuditProfile.Nccid, Today);
        Assert.Equal("full", first.Mode);
        Assert.Equal("no index yet", first.Reason);
        var listed = Directory.GetFiles(corpus.Live, "*", SearchOption.AllDirectories).Length;
        Assert.Equal(listed, first.ParsedNew);

        var files = corpus.DicomFiles(corpus.Live).Select(corpus.Relative).ToArray();
        var deleted = new[] { files[5], files[6], files[^1] };
        foreach (var file in deleted) corpus.Delete(file);
        corpus.Change(files[0], 0);
        corpus.Change(files[1], 1);
        var added = corpus.Add(9);

        // A copy of an unchanged file: the duplicate rule must now report on the original, which is not read again.
        var original = files[20];
        Assert.Equal(0, DuplicateFindingsOn(output, original));
        File.Copy(Path.Combine(corpus.Live, original), Path.Combine(corpus.Live, "added", "copy.dcm"));
        added++;

        var second = await IndexedCorpus.AuditIndexed(corpus.Live, output, AuditProfile.Nccid, Today);
        Assert.Equal("incremental", second.Mode);
        Assert.Equal(added, second.ParsedNew);
        Assert.Equal(2, second.ParsedChanged);
        Assert.Equal(deleted.Length, second.Deleted);
        Assert.Equal(0, second.Reparsed);
        Assert.Equal(listed - deleted.Length - 2, second.Reused);
        Assert.Equal(1, DuplicateFindingsOn(output, original));

        var reference = corpus.Out("reference");
        await IndexedCorpus.AuditPlain(corpus.Live, reference, AuditProfile.Nccid, Today);
        IndexedCorpus.AssertSameTables(reference, output);

        // With nothing changed the third run reads nothing and still writes the same tables.
        var third = await IndexedCorpus.AuditIndexed(corpus.Live, output, AuditProfile.Nccid, Today);
        Assert.Equal(listed - deleted.Length + added, third.Reused);
        Assert.Equal(0, third.ParsedNew + third.ParsedChanged + third.Reparsed + third.Deleted);
        IndexedCorpus.AssertSameTables(reference, output);
    }

    [Fact]
    public async Task Full_ignores_the_index_and_says_so()
    {
        using var corpus = new IndexedCorpus(patients: 8);
        var output = corpus.Out("out");
        await IndexedCorpus.AuditIndexed(corpus.Live, output, AuditProfile.Nccid, Today);
        var full = await IndexedCorpus.AuditIndexed(corpus.Live, output, AuditProfile.Nccid, Today, full: true);
        Assert.Equal("full", full.Mode);
        Assert.Equal("--full was given", full.Reason);
        Assert.Equal(0, full.Reused);
        Assert.Equal(full.Reparsed, full.ReparsedBecause["--full was given"]);
    }

    [Fact]
    public async Task A_new_parser_version_reads_every_file_again()
    {
        using var corpus = new IndexedCorpus(patients: 8);
        var output = corpus.Out("out");
        var first = await IndexedCorpus.AuditIndexed(corpus.Live, output, AuditProfile.Nccid, Today);
        var bumped = await IndexedCorpus.AuditIndexed(corpus.Live, output, AuditProfile.Nccid, Today, parserVersion: ScanIndexVersions.Parser + 1);
        Assert.Equal("full", bumped.Mode);
        Assert.Equal($"parser version changed ({ScanIndexVersions.Parser} to {ScanIndexVersions.Parser + 1})", bumped.Reason);
        Assert.Equal(first.ParsedNew, bumped.Reparsed);
        var header = JsonDocument.Parse(File.ReadAllText(Path.Combine(CurrentGeneration(output), ScanIndexStore.HeaderFile))).RootElement;
        Assert.Equal(ScanIndexVersions.Parser + 1, header.GetProperty("parser_version").GetInt32());
    }

    [Fact]
    public async Task Another_profile_re_audits_every_file_and_equals_a_full_run_under_that_profile()
    {
        using var corpus = new IndexedCorpus(patients: 8);
        var output = corpus.Out("out");
        await IndexedCorpus.AuditIndexed(corpus.Live, output, AuditProfile.Nccid, Today);
        var changed = await IndexedCorpus.AuditIndexed(corpus.Live, output, AuditProfile.Basic, Today);
        Assert.Equal("full", changed.Mode);
        Assert.Equal("audit profile or rule catalogue changed", changed.Reason);
        Assert.Equal(0, changed.Reused);
        var reference = corpus.Out("reference");
        await IndexedCorpus.AuditPlain(corpus.Live, reference, AuditProfile.Basic, Today);
        IndexedCorpus.AssertSameTables(reference, output);
    }

    [Fact]
    public async Task A_later_reference_date_re_audits_only_files_with_future_dates()
    {
        using var corpus = new IndexedCorpus(patients: 8);
        var output = corpus.Out("out");
        // Early enough that some synthetic study dates lie after it.
        var early = new DateOnly(2020, 4, 1);
        await IndexedCorpus.AuditIndexed(corpus.Live, output, AuditProfile.Nccid, early);
        var later = await IndexedCorpus.AuditIndexed(corpus.Live, output, AuditProfile.Nccid, Today);
        Assert.Equal("incremental", later.Mode);
        var dated = later.ReparsedBecause["finding depends on the reference date, which moved"];
        Assert.True(dated > 0 && later.Reused > 0);
        var reference = corpus.Out("reference");
        await IndexedCorpus.AuditPlain(corpus.Live, reference, AuditProfile.Nccid, Today);
        IndexedCorpus.AssertSameTables(reference, output);

        var back = await IndexedCorpus.AuditIndexed(corpus.Live, output, AuditProfile.Nccid, early);
        Assert.Equal("full", back.Mode);
        Assert.Equal("reference date moved back (2022-01-01 to 2020-04-01)", back.Reason);
    }

    [Theory]
    [InlineData("-meta.bin")]
    [InlineData("-rows.bin")]
    public async Task A_corrupt_segment_is_never_used_the_index_is_rebuilt_with_a_warning(string file)
    {
        using var corpus = new IndexedCorpus(patients: 8);
        var output = corpus.Out("out");
        var first = await IndexedCorpus.AuditIndexed(corpus.Live, output, AuditProfile.Nccid, Today);
        var segment = Directory.GetFiles(Path.Combine(CurrentGeneration(output), "entries"), "*" + file).Order(StringComparer.Ordinal).First();
        var bytes = File.ReadAllBytes(segment);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(segment, bytes);

        var rebuilt = await IndexedCorpus.AuditIndexed(corpus.Live, output, AuditProfile.Nccid, Today);
        Assert.Equal("full", rebuilt.Mode);
        Assert.Contains("does not match its checksum", rebuilt.Warning, StringComparison.Ordinal);
        Assert.Equal(first.ParsedNew, rebuilt.Reparsed);
        var reference = corpus.Out("reference");
        await IndexedCorpus.AuditPlain(corpus.Live, reference, AuditProfile.Nccid, Today);
        IndexedCorpus.AssertSameTables(reference, output);

        var again = await IndexedCorpus.AuditIndexed(corpus.Live, output, AuditProfile.Nccid, Today);
        Assert.Equal("incremental", again.Mode);
        Assert.Null(again.Warning);
    }

    [Fact]
    public async Task A_pointer_to_nothing_is_reported_and_a_dead_runs_leftovers_are_removed()
    {
        using var corpus = new IndexedCorpus(patients: 4);
        var output = corpus.Out("out");
        await IndexedCorpus.AuditIndexed(corpus.Live, output, AuditProfile.Nccid, Today);
        var directory = Path.GetDirectoryName(CurrentGeneration(output))!;
        var leftover = Path.Combine(directory, ".gen-0123456789abcdef.tmp");
        Directory.CreateDirectory(leftover);
        File.WriteAllText(Path.Combine(directory, ScanIndexStore.PointerFile), "gen-000099-deadbeef\n");

        var report = await IndexedCorpus.AuditIndexed(corpus.Live, output, AuditProfile.Nccid, Today);
        Assert.Equal("the index could not be trusted", report.Reason);
        Assert.Contains("index.json is missing", report.Warning, StringComparison.Ordinal);
        Assert.False(Directory.Exists(leftover));
        Assert.Single(Directory.GetDirectories(directory, "gen-*"));
    }

    [Fact]
    public async Task The_scan_verb_reuses_its_index_and_its_table_equals_a_full_scans()
    {
        using var corpus = new IndexedCorpus(patients: 10);
        var output = corpus.Out("out");
        await Scan(corpus.Live, output);
        var files = corpus.DicomFiles(corpus.Live).Select(corpus.Relative).ToArray();
        corpus.Delete(files[3]);
        corpus.Change(files[4], 2);
        var added = corpus.Add(4);
        var (report, summary) = await Scan(corpus.Live, output);
        Assert.Equal(("incremental", added, 1L, 1L), (report.Mode, report.ParsedNew, report.ParsedChanged, report.Deleted));

        var reference = corpus.Out("reference");
        var full = await InstanceScan.RunAsync(new LocalFileStore(corpus.Live), reference, IndexedCorpus.Options, new ParquetPartOptions(), true, TimeProvider.System, null, CancellationToken.None);
        IndexedCorpus.AssertSameTables(reference, output, ["instances"]);

        // The byte and read counts describe the rows, as a full scan's do; the summary says how much of them earlier runs read.
        Assert.Equal((full.BytesRead, full.Requests, 0L, 0L), (summary.BytesRead, summary.Requests, full.Reused, full.ReusedBytesRead));
        Assert.Equal(report.Reused, summary.Reused);
        Assert.InRange(summary.ReusedBytesRead, 1, summary.BytesRead - 1);
        Assert.InRange(summary.ReusedRequests, summary.Reused, summary.Requests - added - 1);
        Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"of the reads by earlier runs, for the {report.Reused:N0} rows reused from the scan index"),
            summary.Describe(), StringComparison.Ordinal);
        Assert.DoesNotContain("earlier runs", full.Describe(), StringComparison.Ordinal);
    }

    private static async Task<(IndexReport Report, ScanSummary Summary)> Scan(string source, string output)
    {
        var store = new LocalFileStore(source);
        var settings = ScanIndexSettings.ForScan(store, IndexedCorpus.Options, true);
        var session = new ScanIndexSession<InstanceRow>(ScanIndexStore.DirectoryFor(Path.Combine(output, "index"), settings), settings, new InstanceRowCodec(), false);
        var summary = await InstanceScan.RunAsync(store, output, IndexedCorpus.Options, new ParquetPartOptions(), true, TimeProvider.System, null, CancellationToken.None, session.RunAsync);
        return (session.Report!, summary);
    }

    private static string CurrentGeneration(string output)
    {
        var directory = Directory.GetDirectories(Path.Combine(output, "index")).Single();
        return Path.Combine(directory, File.ReadAllText(Path.Combine(directory, ScanIndexStore.PointerFile)).Trim());
    }
}
