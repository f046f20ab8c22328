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

    /// <summary>Runs the scan (the <see cref="ScanRunner{TRow}"/> signature).</summary>
    public async Task RunAsync(
        IObjectStore store, ScanOptions options, Func<Func<StoredObject, HeaderReader, HeaderReadResult, TRow>> createProjector,
        IRowSink<TRow> sink, ScanProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(createProjector);
        ArgumentNullException.ThrowIfNull(progress);
        string reason;
        string? warning = null;
        var fromScratch = "no index yet";
        IndexMerge<TRow>? merge = null;
        ScanIndexRows? oldRows = null;
        var oldSegments = new Dictionary<string, OldSegment>(StringComparer.Ordinal);
        var verified = new Dictionary<string, string>(StringComparer.Ordinal);
        if (full)
        {
            reason = "--full was given";
        }
        else
        {
            var (header, generation, problem) = await ScanIndexStore.TryOpenAsync(Directory, cancellationToken).ConfigureAwait(false);
            if (problem is not null)
            {
                warning = "The scan index was not used and is rebuilt from a full scan: " + problem;
                reason = "the index could not be trusted";
            }
            else if (header is null)
            {
                reason = fromScratch;
            }
            else if (Mismatch(header) is { } why)
            {
                reason = why;
            }
            else
            {
                reason = "unchanged files reused";
                var dateMoved = header.ReferenceDate != settings.ReferenceDate;
                oldRows = ScanIndexStore.OpenRows(generation!, header);
                var segments = header.Segments.Select((segment, i) =>
                {
                    var (meta, rows) = ScanIndexStore.FilesOf(generation!, segment);
                    return new OldSegment(i, segment, meta, rows);
                }).ToArray();
                merge = new IndexMerge<TRow>(segments, oldRows, codec, ListingOrder.For(store), dateMoved, CreateChunker());
                foreach (var segment in segments) oldSegments.TryAdd(segment.Chunk.Fingerprint, segment);
                foreach (var part in header.Parts) verified[ScanIndexStore.FileOf(generation!, part.Name)] = part.Xxh128;
            }
        }

        var (temporary, entries) = ScanIndexStore.BeginGeneration(Directory);
        var committed = false;
        try
        {
            var writer = new ScanIndexGenerationWriter(entries, verified);
            var indexing = new IndexingSink<TRow>(sink, writer, oldSegments, CreateChunker());
            var pipeline = new ScanPipeline<IndexedRow<TRow>>(store, options, () => Wrap(createProjector())) { Progress = progress, Reuse = merge };
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
                : reason == fromScratch
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
            merge?.Dispose();
            oldRows?.Dispose();
            if (!committed) ScanIndexStore.Abandon(temporary);
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

    private ScanIndexEntry? Entry(StoredObject stored, HeaderReadResult result, TRow row)
    {
        // A listing error says nothing about the object's bytes: it is not recorded, so the next run reads it.
        if (stored.ListingError is not null) return null;
        (byte[] Meta, byte[] Row, string? Text) encoded;
        try
        {
            encoded = codec.Encode(row);
        }
        catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException or ArgumentException)
        {
            // Left out of the index (counted in the report), so the next run reads this object again.
            return null;
        }

        return ScanIndexEntry.Made(stored.Key, stored.Size, stored.ModifiedUtc.Ticks, stored.ETag, result.Status == DicomParseStatus.Error ? result.Error.Kind.ToString() : null,
            codec.DependsOnReferenceDate(row), result.BytesRead, result.Requests, encoded.Meta, encoded.Row, encoded.Text);
    }
}
