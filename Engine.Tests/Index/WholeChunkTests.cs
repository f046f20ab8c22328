using Nccid.Batch.Audit;
using Nccid.Batch.Dicom;
using Nccid.Batch.Index;
using Nccid.Batch.Storage;
using Nccid.Batch.Tables;

namespace Nccid.Batch.Tests.Index;

/// <summary>
/// Chunks of the listing whose every object is unchanged go through an indexed run whole: their segments taken over
/// unread, their entries neither decoded nor merged one by one. Deletions around them are still counted, and the
/// tables equal a run from scratch, byte for byte.
/// </summary>
public sealed class WholeChunkTests
{
    private static PartChunking Chunks(string? previous) => new("test salt", previous) { MinRows = 8, MaxRows = 64, Divisor = 12 };

    private static Task<(AuditSummary Summary, IndexReport Report)> Audit(IndexedCorpus corpus, string output, bool useIndex = true, string keptIn = "kept",
        string? previous = null, IObjectStore? failing = null) => corpus.AuditWithState(output, useIndex, keptIn, previous, failing);

    /// <summary>The keys of each segment of the index's current generation, in order.</summary>
    private static List<string[]> Segments(string indexRoot)
    {
        var directory = Directory.GetDirectories(indexRoot).Single();
        var generation = Path.Combine(directory, File.ReadAllText(Path.Combine(directory, ScanIndexStore.PointerFile)).Trim());
        var header = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(generation, ScanIndexStore.HeaderFile))).RootElement;
        using var rows = new ScanIndexRows([]);
        return header.GetProperty("segments").EnumerateArray()
            .Select((s, i) => ScanIndexSegment.ReadMeta(Path.Combine(generation, "entries", s.GetProperty("meta").GetString()!), rows, i).Select(e => e.Key).ToArray())
            .ToList();
    }

    [Fact]
    public async Task Deletions_before_between_and_after_whole_chunks_are_counted_and_the_tables_equal_a_run_from_scratch()
    {
        using var corpus = new IndexedCorpus(patients: 30, defectRate: 0.1);
        var (_, firstReport) = await Audit(corpus, corpus.Out("first"));
        Assert.Equal(0, firstReport.ChunksWhole);
        var segments = Segments(corpus.Out("kept-index"));
        Assert.True(segments.Count >= 8, $"only {segments.Count} segments");

        // The last file of the first chunk (the next chunk still starts where it did), every file of the third, and
        // the last file of all: the merge passes over them while the chunks between go on whole.
        var deleted = new List<string> { segments[0][^1], segments[^1][^1] };
        deleted.AddRange(segments[2]);
        foreach (var key in deleted) corpus.Delete(key);

        var (secondSummary, second) = await Audit(corpus, corpus.Out("second"), previous: corpus.Out("first"));
        Assert.Equal("incremental", second.Mode);
        Assert.Equal(deleted.Count, second.Deleted);
        Assert.Equal(0, second.ParsedNew + second.ParsedChanged + second.Reparsed);
        Assert.InRange(second.ChunksWhole, segments.Count - 4, segments.Count - 3);
        Assert.True(secondSummary.CollectionChunksKept >= second.ChunksWhole, $"{secondSummary.CollectionChunksKept} chunks kept");
        Assert.True(secondSummary.PartsTakenOver >= second.ChunksWhole, $"{secondSummary.PartsTakenOver} parts taken over");
        await AssertAsFromScratch(corpus, corpus.Out("second"), "second", secondSummary);

        // Nothing changed: every chunk goes on whole, no row is loaded from the old index, every part is taken over.
        var (thirdSummary, third) = await Audit(corpus, corpus.Out("third"), previous: corpus.Out("second"));
        var now = Segments(corpus.Out("kept-index")).Count;
        Assert.Equal((now, now, 0L, 0L), (third.ChunksWhole, third.SegmentsCopied, third.RowsLoaded, third.Deleted));
        Assert.Equal(thirdSummary.Scan.Files, third.Reused);
        await AssertAsFromScratch(corpus, corpus.Out("third"), "third", thirdSummary);
    }

    [Fact]
    public async Task A_file_whose_read_failed_is_read_again_though_its_chunk_is_otherwise_unchanged()
    {
        using var corpus = new IndexedCorpus(patients: 12);
        var victim = corpus.Relative(corpus.DicomFiles(corpus.Live)[7]);
        var (firstSummary, _) = await Audit(corpus, corpus.Out("first"), failing: new FailingStore(new LocalFileStore(corpus.Live), victim));
        Assert.Equal(1, firstSummary.Scan.ErrorsByKind[DicomErrorKind.Unreadable]);

        var (secondSummary, second) = await Audit(corpus, corpus.Out("second"), previous: corpus.Out("first"));
        Assert.Equal(1, second.Reparsed);
        Assert.Equal(1, second.ReparsedBecause["earlier read failed (Unreadable)"]);
        Assert.True(second.ChunksWhole > 0, "no chunk went on whole");
        Assert.False(secondSummary.Scan.ErrorsByKind.ContainsKey(DicomErrorKind.Unreadable));
        await AssertAsFromScratch(corpus, corpus.Out("second"), "second", secondSummary);
    }

    /// <summary>A local store whose reads of one file fail, as a storage fault would.</summary>
    private sealed class FailingStore(LocalFileStore inner, string victim) : IObjectStore
    {
        public string Description => inner.Description;

        public IAsyncEnumerable<StoredObject> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(cancellationToken);

        public ValueTask<int> ReadAsync(StoredObject storedObject, long offset, Memory<byte> destination, CancellationToken cancellationToken) =>
            storedObject.Key == victim ? throw new IOException("The device is not ready.") : inner.ReadAsync(storedObject, offset, destination, cancellationToken);
    }

    [Fact]
    public async Task A_sink_that_takes_rows_one_by_one_gets_a_whole_chunks_rows_decoded_from_the_old_segment()
    {
        using var corpus = new IndexedCorpus(patients: 20);
        var output = corpus.Out("out");
        await Scan(corpus, output);
        var files = corpus.DicomFiles(corpus.Live).Select(corpus.Relative).ToArray();
        corpus.Change(files[files.Length / 2], 1);
        corpus.Delete(files[3]);

        var report = await Scan(corpus, output);
        Assert.Equal((1L, 1L), (report.ParsedChanged, report.Deleted));
        Assert.True(report.ChunksWhole >= 3, $"{report.ChunksWhole} chunks whole");
        var reference = corpus.Out("reference");
        await InstanceScan.RunAsync(new LocalFileStore(corpus.Live), reference, IndexedCorpus.Options, new ParquetPartOptions(), true, TimeProvider.System, null, CancellationToken.None);
        IndexedCorpus.AssertSameTables(reference, output, [InstancesTable.Name]);
    }

    private static async Task<IndexReport> Scan(IndexedCorpus corpus, string output)
    {
        var store = new LocalFileStore(corpus.Live);
        var settings = ScanIndexSettings.ForScan(store, IndexedCorpus.Options, true);
        var session = new ScanIndexSession<InstanceRow>(ScanIndexStore.DirectoryFor(Path.Combine(output, "index"), settings), settings, new InstanceRowCodec(), false)
        {
            Chunking = Chunks(null),
        };
        await InstanceScan.RunAsync(store, output, IndexedCorpus.Options, new ParquetPartOptions(), true, TimeProvider.System, null, CancellationToken.None, session.RunAsync);
        return session.Report!;
    }

    private static async Task AssertAsFromScratch(IndexedCorpus corpus, string output, string name, AuditSummary summary)
    {
        var scratch = corpus.Out(name + "-scratch");
        var (expected, _) = await Audit(corpus, scratch, useIndex: false, keptIn: name + "-scratch");
        IndexedCorpus.AssertSameTables(scratch, output);
        Assert.Equal(expected.FindingsByRule, summary.FindingsByRule);
        Assert.Equal(expected.BlockingFindings, summary.BlockingFindings);
        Assert.Equal(expected.Quarantined, summary.Quarantined);
        Assert.Equal(expected.Scan.Files, summary.Scan.Files);
        Assert.Equal(expected.Scan.Errors, summary.Scan.Errors);
        Assert.Equal(expected.Scan.ErrorsByKind, summary.Scan.ErrorsByKind);
        Assert.Equal((expected.Scan.BytesStored, expected.Scan.BytesRead, expected.Scan.Requests), (summary.Scan.BytesStored, summary.Scan.BytesRead, summary.Scan.Requests));
        Assert.Equal(expected.SharedSopInstanceUids.Order(), summary.SharedSopInstanceUids.Order());
    }
}
