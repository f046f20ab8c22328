using System.Globalization;
using Nccid.Batch.Dicom;
using Nccid.Batch.Pipeline;
using Nccid.Batch.Storage;
using Nccid.Batch.Tables;

namespace Nccid.Batch.Index;

/// <summary>
/// One scan run against a scan index: its <see cref="RunAsync"/> is a <see cref="ScanRunner{TRow}"/> that reuses
/// the rows of unchanged objects, reads new and changed ones, and commits a new index generation when the scan
/// succeeded. <see cref="Report"/> then says what was reused and read, and why.
/// </summary>
/// <typeparam name="TRow">The row type.</typeparam>
/// <param name="directory">This source's index folder (see <see cref="ScanIndexStore.DirectoryFor"/>).</param>
/// <param name="settings">What the rows depend on besides the bytes.</param>
/// <param name="codec">Encodes and decodes rows.</param>
/// <param name="full">True to ignore the index (every object is read; a new index is still written).</param>
public sealed class ScanIndexSession<TRow>(string directory, ScanIndexSettings settings, IIndexCodec<TRow> codec, bool full)
{
    /// <summary>This source's index folder.</summary>
    public string Directory { get; } = directory;

    /// <summary>How the index cuts the listing into segments (null: <see cref="PartChunker"/>'s defaults, the boundaries of a release's tables).</summary>
    public PartChunking? Chunking { get; init; }

    /// <summary>What the last run reused and read; null before a run finished.</summary>
    public IndexReport? Report { get; private set; }

    private string? _committed;
    private IReadOnlyList<ScanIndexChunk> _committedSegments = [];

    /// <summary>
    /// Entries that other processes made in this same run (the shards of a cluster release), taken for the objects the
    /// index does not reuse before any is read here; null reads them all here.
    /// </summary>
    public IPrecomputedEntries? Precomputed { get; init; }

    /// <summary>Runs the scan (the <see cref="ScanRunner{TRow}"/> signature).</summary>
    public async Task RunAsync(
        IObjectStore store, ScanOptions options, Func<Func<StoredObject, HeaderReader, HeaderReadResult, TRow>> createProjector,
        IRowSink<TRow> sink, ScanProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(createProjector);
        ArgumentNullException.ThrowIfNull(progress);
        using var old = await OpenOldAsync(store, cancellationToken).ConfigureAwait(false);
        var (reason, warning, merge, oldRows) = (old.Reason, old.Warning, old.Merge, old.Rows);
        var (temporary, entries) = ScanIndexStore.BeginGeneration(Directory);
        var committed = false;
        try
        {
            var writer = new ScanIndexGenerationWriter(entries, old.Verified);
            var indexing = new IndexingSink<TRow>(sink, writer, old.Segments, CreateChunker());
            IRowReuse<IndexedRow<TRow>>? reuse = Precomputed is null ? merge : new WithPrecomputed(merge, Precomputed, codec);
            var pipeline = new ScanPipeline<IndexedRow<TRow>>(store, options, () => Wrap(createProjector())) { Progress = progress, Reuse = reuse };
            await pipeline.RunAsync(indexing, cancellationToken).ConfigureAwait(false);
            merge?.Finish();
            var rows = writer.Count;
            var unindexed = indexing.Unindexed;
            var loaded = oldRows?.Loaded ?? 0;

            var report = merge is not null
                ? new IndexReport
                {
                    Mode = "incremental", Reason = reason, Reused = merge.Reused, ParsedNew = merge.New, ParsedChanged = merge.Changed, Reparsed = merge.Reparsed,
                    ReparsedBecause = new SortedDictionary<string, long>(merge.ReparsedBecause.ToDictionary(), StringComparer.Ordinal), Deleted = merge.Deleted,
                    NotIndexed = unindexed, Warning = warning, SegmentsCopied = writer.Copied, SegmentsWritten = writer.Written, RowsLoaded = loaded,
                    ChunksWhole = merge.ChunksWhole,
                }
                : reason == OldIndex.FromScratch
                    ? new IndexReport { Mode = "full", Reason = reason, ParsedNew = progress.Done, NotIndexed = unindexed, SegmentsWritten = writer.Written }
                    : new IndexReport
                    {
                        Mode = "full", Reason = reason, Reparsed = progress.Done,
                        ReparsedBecause = new SortedDictionary<string, long>(StringComparer.Ordinal) { [reason] = progress.Done }, NotIndexed = unindexed, Warning = warning,
                        SegmentsWritten = writer.Written,
                    };
            _committed = await ScanIndexStore.CommitAsync(Directory, temporary, parts => new ScanIndexHeader(ScanIndexVersions.Format, settings.Kind, settings.Source,
                settings.ParserVersion, settings.ScanSettings, settings.Rules, settings.ReferenceDate, rows, parts, writer.Segments, report), cancellationToken,
                writer.TakenOverChecksums).ConfigureAwait(false);
            committed = true;
            _committedSegments = writer.Segments;
            Report = report;
        }
        finally
        {
            if (!committed) ScanIndexStore.Abandon(temporary);
        }
    }

    /// <summary>
    /// Lists <paramref name="store"/> and merges the listing with the index as <see cref="RunAsync"/> would, without
    /// reading or writing anything: hands <paramref name="toRead"/> each included object a run would read (new,
    /// changed, or to be read again), in listing order, and returns how many it would reuse. A cluster release plans
    /// its shards with it, so that its hosts read only what changed.
    /// </summary>
    public async Task<long> SelectReadsAsync(IObjectStore store, ScanOptions options, Action<StoredObject> toRead, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(toRead);
        using var old = await OpenOldAsync(store, cancellationToken).ConfigureAwait(false);
        var ready = new List<(StoredObject Object, ReusedRow<IndexedRow<TRow>> Reused)>();
        long reused = 0;
        void Hand()
        {
            foreach (var (stored, row) in ready)
            {
                if (!row.Found) toRead(stored);
                else reused += row.Run?.Objects ?? 1;
            }

            ready.Clear();
        }

        await foreach (var stored in store.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!ScanPipeline<TRow>.Includes(options, stored.Key)) continue;
            if (old.Merge is null)
            {
                toRead(stored);
                continue;
            }

            old.Merge.Offer(stored, ready);
            Hand();
        }

        old.Merge?.Flush(ready);
        Hand();
        return reused;
    }

    /// <summary>The last committed generation, opened for a merge with the listing when this run may use it.</summary>
    private async Task<OldIndex> OpenOldAsync(IObjectStore store, CancellationToken cancellationToken)
    {
        if (full) return new OldIndex("--full was given", null);
        var (header, generation, problem) = await ScanIndexStore.TryOpenAsync(Directory, cancellationToken).ConfigureAwait(false);
        if (problem is not null) return new OldIndex("the index could not be trusted", "The scan index was not used and is rebuilt from a full scan: " + problem);
        if (header is null) return new OldIndex(OldIndex.FromScratch, null);
        if (Mismatch(header) is { } why) return new OldIndex(why, null);

        var dateMoved = header.ReferenceDate != settings.ReferenceDate;
        var oldRows = ScanIndexStore.OpenRows(generation!, header);
        var segments = header.Segments.Select((segment, i) =>
        {
            var (meta, rows) = ScanIndexStore.FilesOf(generation!, segment);
            return new OldSegment(i, segment, meta, rows);
        }).ToArray();
        var old = new OldIndex("unchanged files reused", null)
        {
            Rows = oldRows, Merge = new IndexMerge<TRow>(segments, oldRows, codec, ListingOrder.For(store), dateMoved, CreateChunker()),
        };
        foreach (var segment in segments) old.Segments.TryAdd(segment.Chunk.Fingerprint, segment);
        foreach (var part in header.Parts) old.Verified[ScanIndexStore.FileOf(generation!, part.Name)] = part.Xxh128;
        return old;
    }

    /// <summary>What <see cref="OpenOldAsync"/> found: why the run is incremental or not, and the merge when it is.</summary>
    private sealed class OldIndex(string reason, string? warning) : IDisposable
    {
        public const string FromScratch = "no index yet";

        public string Reason { get; } = reason;

        public string? Warning { get; } = warning;

        public IndexMerge<TRow>? Merge { get; init; }

        public ScanIndexRows? Rows { get; init; }

        public Dictionary<string, OldSegment> Segments { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, string> Verified { get; } = new(StringComparer.Ordinal);

        public void Dispose()
        {
            Merge?.Dispose();
            Rows?.Dispose();
        }
    }

    /// <summary>
    /// The index's reuse, then, for each object it does not reuse, the entry another process made in this run, if any:
    /// counted as read, decoded on a worker and written into the new index as an entry of the old index would be.
    /// </summary>
    private sealed class WithPrecomputed(IndexMerge<TRow>? merge, IPrecomputedEntries precomputed, IIndexCodec<TRow> codec) : IRowReuse<IndexedRow<TRow>>
    {
        private readonly List<(StoredObject Object, ReusedRow<IndexedRow<TRow>> Reused)> _merged = [];

        public void Offer(StoredObject stored, List<(StoredObject Object, ReusedRow<IndexedRow<TRow>> Reused)> ready)
        {
            if (merge is null)
            {
                ready.Add((stored, Take(stored)));
                return;
            }

            merge.Offer(stored, _merged);
            Pass(ready);
        }

        public void Flush(List<(StoredObject Object, ReusedRow<IndexedRow<TRow>> Reused)> ready)
        {
            merge?.Flush(_merged);
            Pass(ready);
        }

        public IndexedRow<TRow> Materialize(IndexedRow<TRow> reused) => reused.Chunk is not null ? merge!.Materialize(reused) : reused with { Row = codec.Decode(reused.Entry!) };

        private void Pass(List<(StoredObject Object, ReusedRow<IndexedRow<TRow>> Reused)> ready)
        {
            foreach (var (stored, reused) in _merged) ready.Add((stored, reused.Found ? reused : Take(stored)));
            _merged.Clear();
        }

        private ReusedRow<IndexedRow<TRow>> Take(StoredObject stored)
        {
            if (!precomputed.TryTake(stored, out var entry)) return ReusedRow<IndexedRow<TRow>>.None;
            var kind = DicomErrorKind.None;
            if (entry.ErrorKind is not null && !Enum.TryParse(entry.ErrorKind, out kind)) kind = DicomErrorKind.Internal;
            // As for the index's own entries, rows a decoder needs at once are loaded here, in listing order.
            if (codec.DecodesRow) entry.LoadRow();
            return new ReusedRow<IndexedRow<TRow>>(true, new IndexedRow<TRow>(default!, entry), kind, entry.BytesRead, entry.Requests) { ReadThisRun = true };
        }
    }

    /// <summary>
    /// The entries of the segment with <paramref name="fingerprint"/> of the generation this session committed, in listing
    /// order (meta payloads only: their rows are not loaded); none before the commit or when no segment has it.
    /// </summary>
    public IEnumerable<ScanIndexEntry> EntriesOf(string fingerprint)
    {
        if (_committed is null) yield break;
        for (var i = 0; i < _committedSegments.Count; i++)
        {
            if (!string.Equals(_committedSegments[i].Fingerprint, fingerprint, StringComparison.Ordinal)) continue;
            using var rows = new ScanIndexRows([]);
            foreach (var entry in ScanIndexSegment.ReadMeta(ScanIndexStore.FilesOf(_committed, _committedSegments[i]).Meta, rows, i)) yield return entry;
            yield break;
        }
    }

    private PartChunker CreateChunker() => Chunking?.CreateChunker() ?? new PartChunker(string.Empty);

    /// <summary>Why the old index cannot be used for this run, or null when it can.</summary>
    private string? Mismatch(ScanIndexHeader header)
    {
        var inv = CultureInfo.InvariantCulture;
        if (header.Kind != settings.Kind || header.Source != settings.Source) return "the index belongs to another source or kind of run";
        if (header.ParserVersion != settings.ParserVersion) return string.Create(inv, $"parser version changed ({header.ParserVersion} to {settings.ParserVersion})");
        if (header.ScanSettings != settings.ScanSettings) return "scan settings changed (reader limits, first read size or header_json)";
        if (header.Rules != settings.Rules) return "audit profile or rule catalogue changed";
        if (header.ReferenceDate is { } old && settings.ReferenceDate is { } now && now < old)
        {
            return string.Create(inv, $"reference date moved back ({old:yyyy-MM-dd} to {now:yyyy-MM-dd})");
        }

        return null;
    }

    private Func<StoredObject, HeaderReader, HeaderReadResult, IndexedRow<TRow>> Wrap(Func<StoredObject, HeaderReader, HeaderReadResult, TRow> project) =>
        (stored, reader, result) =>
        {
            var row = project(stored, reader, result);
            return new IndexedRow<TRow>(row, Entry(stored, result, row), stored);
        };

    private ScanIndexEntry? Entry(StoredObject stored, HeaderReadResult result, TRow row) => ScanIndexEntry.Of(codec, stored, result, row);
}
