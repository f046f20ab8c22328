using Nccid.Batch.Audit;
using Nccid.Batch.Audit.Quality;
using Nccid.Batch.Index;
using Nccid.Batch.Storage;
using Nccid.Batch.Tables;
using Nccid.Batch.Tests.Tables;

namespace Nccid.Batch.Tests.Index;

/// <summary>
/// The collection rules with a state kept beside the index: a run observes only the chunks that changed and the kept
/// chunks a change reaches through a group (a duplicated SOP Instance UID, a series, a study, a patient), keeps the
/// findings of the others, and its tables equal a run from scratch, byte for byte.
/// </summary>
public sealed class CollectionStateTests
{
    private static async Task<AuditSummary> Audit(IndexedCorpus corpus, string output, bool useIndex = true, string keptIn = "kept", string? previous = null) =>
        (await corpus.AuditWithState(output, useIndex, keptIn, previous)).Summary;

    private static async Task AssertAsFromScratch(IndexedCorpus corpus, string output, string name, AuditSummary? summary = null)
    {
        // The same chunks, every one observed: no index, and a state of its own.
        var scratch = corpus.Out(name + "-scratch");
        var expected = await Audit(corpus, scratch, useIndex: false, keptIn: name + "-scratch");
        IndexedCorpus.AssertSameTables(scratch, output);
        if (summary is null) return;

        // The counts of the summary and the gate, which kept chunks take from their tallies.
        Assert.Equal(expected.QualityFindings.OrderBy(kv => kv.Key), summary.QualityFindings.OrderBy(kv => kv.Key));
        Assert.Equal(expected.DeidFindings.OrderBy(kv => kv.Key), summary.DeidFindings.OrderBy(kv => kv.Key));
        Assert.Equal(expected.FindingsByRule, summary.FindingsByRule);
        Assert.Equal(expected.BlockingFindings, summary.BlockingFindings);
        Assert.Equal(expected.BlockingRules.OrderBy(kv => kv.Key), summary.BlockingRules.OrderBy(kv => kv.Key));
        Assert.Equal(expected.Quarantined, summary.Quarantined);
        Assert.Equal(expected.SharedSopInstanceUids.Order(), summary.SharedSopInstanceUids.Order());
    }

    private static long Findings(string output, string rule) =>
        Convert.ToInt64(DuckDb.Scalar($"SELECT count(*) FROM read_parquet({DuckDb.Parts(Path.Combine(output, "quality_findings"))}) WHERE rule_id = '{rule}'"));

    [Fact]
    public async Task Unchanged_chunks_keep_their_findings_and_a_change_reaching_their_groups_evaluates_them_again()
    {
        using var corpus = new IndexedCorpus(patients: 30, defectRate: 0.1);
        var first = corpus.Out("first");
        var firstSummary = await Audit(corpus, first);
        Assert.Equal(0, firstSummary.CollectionChunksKept);
        await AssertAsFromScratch(corpus, first, "first");
        var duplicates = Findings(first, QualityRules.DuplicateIdenticalFile.Id);
        Assert.True(duplicates > 0, "the corpus has no duplicated files");

        // Files added in a folder of their own: every old chunk is kept, none read back, and the findings are all there.
        // (No earlier output to take parts over from: the kept chunks' rows are counted and written, but not observed.)
        corpus.Add(5);
        var second = corpus.Out("second");
        var secondSummary = await Audit(corpus, second);
        Assert.True(secondSummary.CollectionChunksKept >= 5, $"{secondSummary.CollectionChunksKept} chunks kept");
        Assert.Equal(0, secondSummary.CollectionChunksReadBack);
        await AssertAsFromScratch(corpus, second, "second", secondSummary);

        // A copy of an old file in a new folder shares its SOP Instance UID (and series, study, patient) with a kept
        // chunk: that chunk is read back, and both files are reported as identical copies.
        var readable = Convert.ToInt64(DuckDb.Scalar($"SELECT count(*) FROM read_parquet({DuckDb.Parts(Path.Combine(first, "instances"))}) WHERE status = 'ok'"));
        var original = (string)DuckDb.Scalar(
            $"SELECT path FROM read_parquet({DuckDb.Parts(Path.Combine(first, "instances"))}) WHERE status = 'ok' ORDER BY path LIMIT 1 OFFSET {readable / 3}")!;
        var copy = Path.Combine(corpus.Live, "zz-copies", original);
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        File.Copy(Path.Combine(corpus.Live, original), copy);
        var third = corpus.Out("third");
        var thirdSummary = await Audit(corpus, third, previous: second);
        Assert.InRange(thirdSummary.CollectionChunksReadBack, 1, thirdSummary.CollectionChunksKept);
        Assert.True(thirdSummary.PartsTakenOver > 0, "no parts taken over");
        await AssertAsFromScratch(corpus, third, "third", thirdSummary);
        Assert.True(Findings(third, QualityRules.DuplicateIdenticalFile.Id) >= duplicates + 2);

        // The copy deleted again: its chunk is gone, the chunk it reached is read back, and its findings go with it.
        File.Delete(copy);
        var fourth = corpus.Out("fourth");
        var fourthSummary = await Audit(corpus, fourth, previous: third);
        Assert.InRange(fourthSummary.CollectionChunksReadBack, 1, fourthSummary.CollectionChunksKept);
        await AssertAsFromScratch(corpus, fourth, "fourth", fourthSummary);
        Assert.Equal(duplicates, Findings(fourth, QualityRules.DuplicateIdenticalFile.Id));

        // Without the index every chunk is observed, and the state is replaced by that run's.
        var full = corpus.Out("full");
        Assert.Equal(0, (await Audit(corpus, full, useIndex: false)).CollectionChunksKept);
        await AssertAsFromScratch(corpus, full, "full");
    }

    [Fact]
    public async Task A_state_that_cannot_be_read_is_no_shortcut_every_chunk_is_observed()
    {
        using var corpus = new IndexedCorpus(patients: 12, defectRate: 0.1);
        await Audit(corpus, corpus.Out("first"));
        var state = await File.ReadAllBytesAsync(corpus.Out("kept-state.bin"));

        // Cut short, or with a count larger than the file: ignored, without asking for the memory it names.
        await File.WriteAllBytesAsync(corpus.Out("kept-state.bin"), state[..(state.Length / 2)]);
        Assert.Equal(0, (await Audit(corpus, corpus.Out("cut"))).CollectionChunksKept);
        var counted = (byte[])state.Clone();
        using (var reader = new BinaryReader(new MemoryStream(counted)))
        {
            reader.ReadBytes("NCCID-COLLECTION-STATE 2\n".Length);
            reader.ReadString();
            reader.ReadInt32();
            BitConverter.TryWriteBytes(counted.AsSpan((int)reader.BaseStream.Position), int.MaxValue);
        }

        await File.WriteAllBytesAsync(corpus.Out("kept-state.bin"), counted);
        Assert.Equal(0, (await Audit(corpus, corpus.Out("counted"))).CollectionChunksKept);

        await File.WriteAllTextAsync(corpus.Out("kept-state.bin"), "not a state");

        var second = corpus.Out("second");
        var secondSummary = await Audit(corpus, second);
        Assert.Equal(0, secondSummary.CollectionChunksKept);
        await AssertAsFromScratch(corpus, second, "second", secondSummary);

        // That run wrote a state again, which the next run keeps.
        var third = corpus.Out("third");
        var thirdSummary = await Audit(corpus, third, previous: second);
        Assert.True(thirdSummary.CollectionChunksKept > 0);
        await AssertAsFromScratch(corpus, third, "third", thirdSummary);
    }
}
