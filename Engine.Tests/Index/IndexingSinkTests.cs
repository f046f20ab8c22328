using Nccid.Batch.Index;
using Nccid.Batch.Pipeline;
using Nccid.Batch.Tables;
using Nccid.Batch.Tests.Tables;

namespace Nccid.Batch.Tests.Index;

public sealed class IndexingSinkTests
{
    private sealed class RecordingSink : IRowSink<string>
    {
        public List<string> Rows { get; } = [];

        public bool Completed { get; private set; }

        public ValueTask AddAsync(string row, CancellationToken cancellationToken)
        {
            Rows.Add(row);
            return ValueTask.CompletedTask;
        }

        public ValueTask CompleteAsync(CancellationToken cancellationToken)
        {
            Completed = true;
            return ValueTask.CompletedTask;
        }
    }

    private static ScanIndexEntry Fresh(string key) => ScanIndexEntry.Made(key, 10, 20, null, null, false, 10, 1, [], [1], "text of " + key);

    [Fact]
    public async Task Rows_go_on_at_once_and_a_chunk_of_fresh_entries_is_written_as_it_comes_into_one_segment_per_chunk()
    {
        using var temp = new TempDirectory();
        var inner = new RecordingSink();
        var writer = new ScanIndexGenerationWriter(Path.Combine(temp.Path, "entries"));
        // Chunks of 4 to 4 rows: the chunk's end is decided by the count alone.
        var sink = new IndexingSink<string>(inner, writer, new Dictionary<string, OldSegment>(), new PartChunker("salt", minRows: 4, maxRows: 4));

        for (var i = 0; i < 10; i++)
        {
            var key = "a/" + i.ToString("D2", System.Globalization.CultureInfo.InvariantCulture);
            await sink.AddAsync(new IndexedRow<string>(key, i == 5 ? null : Fresh(key)), CancellationToken.None);
            // Nothing waits for the chunk to end: the row is with the table writer, the entry in an open segment.
            Assert.Equal(i + 1, inner.Rows.Count);
            Assert.True(writer.IsOpen);
        }

        await sink.CompleteAsync(CancellationToken.None);

        Assert.True(inner.Completed);
        Assert.False(writer.IsOpen);
        Assert.Equal(1, sink.Unindexed);
        Assert.Equal([4L, 4L, 1L], writer.Segments.Select(s => s.Entries));
        Assert.Equal(9, writer.Count);
        Assert.Equal(3, writer.Written);
        Assert.Equal(6, Directory.GetFiles(Path.Combine(temp.Path, "entries")).Length);
    }

    [Fact]
    public async Task A_row_left_out_of_the_index_still_counts_in_its_chunk_so_the_segments_are_the_tables_chunks()
    {
        using var temp = new TempDirectory();
        var writer = new ScanIndexGenerationWriter(Path.Combine(temp.Path, "entries"));
        var sink = new IndexingSink<string>(new RecordingSink(), writer, new Dictionary<string, OldSegment>(), new PartChunker("salt", minRows: 4, maxRows: 4));
        var tables = new PartChunker("salt", minRows: 4, maxRows: 4);
        var fingerprints = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            var key = "a/" + i.ToString("D2", System.Globalization.CultureInfo.InvariantCulture);
            var listed = new Nccid.Batch.Storage.StoredObject(key, 10, new DateTime(20, DateTimeKind.Utc), ListingError: i == 5 ? "gone" : null);
            await sink.AddAsync(new IndexedRow<string>(key, i == 5 ? null : Fresh(key), listed), CancellationToken.None);
            if (tables.EndsBefore(key)) fingerprints.Add(tables.Finish().Fingerprint);
            tables.Add(key, 10, 20, reused: false);
        }

        await sink.CompleteAsync(CancellationToken.None);
        fingerprints.Add(tables.Finish().Fingerprint);

        // The second chunk holds the row left out: three entries, but the fingerprint of the four rows the tables hold.
        Assert.Equal([4L, 3L, 2L], writer.Segments.Select(s => s.Entries));
        Assert.Equal(fingerprints, writer.Segments.Select(s => s.Fingerprint));
    }

    [Fact]
    public async Task A_segment_taken_over_keeps_the_hash_verified_when_the_old_generation_was_opened_and_only_new_files_are_hashed_at_the_commit()
    {
        using var temp = new TempDirectory();
        var indexDirectory = Path.Combine(temp.Path, "index");
        var (oldTemporary, oldEntries) = ScanIndexStore.BeginGeneration(indexDirectory);
        var old = new ScanIndexGenerationWriter(oldEntries);
        old.Write("fingerprint 1", [Fresh("a/1"), Fresh("a/2")]);
        var oldGeneration = await ScanIndexStore.CommitAsync(indexDirectory, oldTemporary, parts => Header(parts, old.Segments), CancellationToken.None);
        var (header, generation, problem) = await ScanIndexStore.TryOpenAsync(indexDirectory, CancellationToken.None);
        Assert.Null(problem);
        Assert.Equal(oldGeneration, generation);
        var verified = header!.Parts.ToDictionary(p => ScanIndexStore.FileOf(generation!, p.Name), p => p.Xxh128);

        var (temporary, entries) = ScanIndexStore.BeginGeneration(indexDirectory);
        var writer = new ScanIndexGenerationWriter(entries, verified);
        var (meta, rows) = ScanIndexStore.FilesOf(generation!, header.Segments[0]);
        writer.Copy(new OldSegment(0, header.Segments[0], meta, rows));
        writer.Write("fingerprint 2", [Fresh("b/1")]);
        Assert.Equal(2, writer.TakenOverChecksums.Count);

        // The commit records what it is told of the files taken over (here a stand-in, to show they are not read) and hashes the others.
        var told = writer.TakenOverChecksums.ToDictionary(kv => kv.Key, _ => new string('0', 32), StringComparer.Ordinal);
        var committed = await ScanIndexStore.CommitAsync(indexDirectory, temporary, parts => Header(parts, writer.Segments), CancellationToken.None, told);
        var parts = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path.Combine(committed, ScanIndexStore.HeaderFile))).RootElement.GetProperty("parts").EnumerateArray()
            .ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("xxh128").GetString()!);
        Assert.Equal(4, parts.Count);
        foreach (var (name, checksum) in parts)
        {
            var expected = told.GetValueOrDefault(name) ?? await Nccid.Batch.Storage.FileHashes.Xxh128Async(ScanIndexStore.FileOf(committed, name), CancellationToken.None);
            Assert.Equal(expected, checksum);
        }

        // Opening checks every file again, so a hash told wrongly is found there (a run tells the verified one).
        var (_, _, reopened) = await ScanIndexStore.TryOpenAsync(indexDirectory, CancellationToken.None);
        Assert.NotNull(reopened);
        Assert.Contains("does not match its checksum", reopened, StringComparison.Ordinal);

        static ScanIndexHeader Header(IReadOnlyList<ScanIndexPart> parts, IReadOnlyList<ScanIndexChunk> segments) =>
            new(ScanIndexVersions.Format, "audit", "source", 1, "scan", "rules", new DateOnly(2022, 1, 1), 0, parts, segments.ToArray(), new IndexReport { Mode = "full", Reason = "test" });
    }
}
