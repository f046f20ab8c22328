using Nccid.Batch.Audit;
using Nccid.Batch.Index;
using Nccid.Batch.Storage;
using Nccid.Batch.Tables;
using Nccid.Batch.Tests.Fixtures;
using Nccid.Batch.Tests.Tables;

namespace Nccid.Batch.Tests.Index;

/// <summary>
/// The instances and findings tables cut into content-defined chunks: a run with the index takes the parts of
/// unchanged chunks over from the earlier output, and its tables equal a run from scratch, byte for byte.
/// </summary>
public sealed class ChunkedPartsTests
{
    private static readonly DateOnly Today = new(2022, 1, 1);

    private static readonly string[] ChunkedTables = [InstancesTable.Name, FindingsTables.Quality.Name, FindingsTables.Deidentification.Name];

    private static PartChunking Chunking(string? previous) => new("test salt", previous) { MinRows = 8, MaxRows = 64, Divisor = 12 };

    private static async Task<AuditSummary> Audit(string source, string output, string? previous, bool useIndex) => (await AuditWithReport(source, output, previous, useIndex)).Summary;

    private static async Task<(AuditSummary Summary, IndexReport Report)> AuditWithReport(string source, string output, string? previous, bool useIndex, string? salt = null)
    {
        var store = new LocalFileStore(source);
        var settings = ScanIndexSettings.ForAudit(store, IndexedCorpus.Options, true, AuditProfile.Nccid, Today);
        var chunking = salt is null ? Chunking(previous) : Chunking(previous) with { Salt = salt };
        var session = new ScanIndexSession<AuditedInstance>(ScanIndexStore.DirectoryFor(source + "-index", settings), settings,
            new AuditedInstanceCodec(AuditProfile.Nccid), full: !useIndex) { Chunking = chunking };
        var summary = await AuditScan.RunAsync(store, output, AuditProfile.Nccid, IndexedCorpus.Options, new ParquetPartOptions(), Today, true, null, TimeProvider.System,
            null, null, CancellationToken.None, session.RunAsync, chunking);
        return (summary, session.Report!);
    }

    [Fact]
    public async Task Unchanged_chunks_are_taken_over_and_the_tables_equal_a_run_from_scratch()
    {
        using var corpus = new IndexedCorpus(patients: 30);
        var first = corpus.Out("first");
        var firstSummary = await Audit(corpus.Live, first, null, useIndex: true);
        Assert.Equal(0, firstSummary.PartsTakenOver);
        var parts = Directory.GetFiles(Path.Combine(first, InstancesTable.Name), "*.parquet").Length;
        Assert.True(parts >= 5, $"only {parts} instance parts");

        var files = corpus.DicomFiles(corpus.Live).Select(corpus.Relative).ToArray();
        corpus.Change(files[files.Length / 2], 0);
        var added = corpus.Add(6);

        var second = corpus.Out("second");
        var (summary, report) = await AuditWithReport(corpus.Live, second, first, useIndex: true);
        Assert.True(summary.PartsTakenOver >= parts - 3, $"{summary.PartsTakenOver} of {parts} instance parts taken over");

        // The index too keeps the unchanged chunks' segments as they were, and loads only the rows of the chunks written again.
        Assert.True(report.SegmentsCopied >= parts - 3, $"{report.SegmentsCopied} of {parts} index segments copied");
        Assert.InRange(report.SegmentsWritten, 1, 3);
        Assert.InRange(report.RowsLoaded, 1, 3 * 64);
        var rows = Convert.ToInt64(DuckDb.Scalar($"SELECT count(*) FROM read_parquet({DuckDb.Parts(Path.Combine(second, InstancesTable.Name))})"));
        Assert.Equal(firstSummary.Scan.Files + added, rows);
        // The chunks holding the changed and the added files were written again.
        var allRows = ChunkedTables.Sum(t => Convert.ToInt64(DuckDb.Scalar($"SELECT count(*) FROM read_parquet({DuckDb.Parts(Path.Combine(second, t))})")));
        Assert.InRange(summary.RowsTakenOver, 1, allRows - added - 1);

        // A part taken over is the earlier output's file under a second name (a hard link), not a copy of it.
        var earlier = ChunkedTables.SelectMany(t => Directory.GetFiles(Path.Combine(first, t), "*.parquet")).ToArray();
        var later = ChunkedTables.SelectMany(t => Directory.GetFiles(Path.Combine(second, t), "*.parquet")).ToArray();
        Assert.Equal(summary.PartsTakenOver, FileIdentity.Of(later).Intersect(FileIdentity.Of(earlier)).Count());

        var scratch = corpus.Out("scratch");
        var fromScratch = await Audit(corpus.Live, scratch, null, useIndex: false);
        Assert.Equal(0, fromScratch.PartsTakenOver);
        IndexedCorpus.AssertSameTables(scratch, second);

        // Without the index, nothing is known to be unchanged: every part is written, with the same bytes.
        var unindexed = corpus.Out("unindexed");
        Assert.Equal(0, (await Audit(corpus.Live, unindexed, second, useIndex: false)).PartsTakenOver);
        IndexedCorpus.AssertSameTables(scratch, unindexed, ChunkedTables);
    }

    [Fact]
    public async Task A_part_is_not_taken_over_from_an_output_made_with_other_settings()
    {
        using var corpus = new IndexedCorpus(patients: 10);
        var first = corpus.Out("first");
        await Audit(corpus.Live, first, null, useIndex: true);
        var (summary, report) = await AuditWithReport(corpus.Live, corpus.Out("second"), first, useIndex: true, salt: "another parser");
        Assert.Equal(0, summary.PartsTakenOver);
        Assert.Equal("incremental", report.Mode);
    }
}
