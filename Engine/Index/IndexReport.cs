using System.Globalization;

namespace Nccid.Batch.Index;

/// <summary>What an indexed scan took from its index and what it read again, and why.</summary>
public sealed record IndexReport
{
    /// <summary>"incremental" when the index was used, "full" when every object was read.</summary>
    public required string Mode { get; init; }

    /// <summary>Why the run was incremental or full (no index yet, --full, a parser or rule change, an unreadable index).</summary>
    public required string Reason { get; init; }

    /// <summary>Objects whose row came from the index.</summary>
    public long Reused { get; init; }

    /// <summary>Objects not in the index: read and parsed.</summary>
    public long ParsedNew { get; init; }

    /// <summary>Objects whose size or modification time changed: read and parsed.</summary>
    public long ParsedChanged { get; init; }

    /// <summary>Unchanged objects read again anyway (see <see cref="ReparsedBecause"/>).</summary>
    public long Reparsed { get; init; }

    /// <summary>Why unchanged objects were read again, with counts.</summary>
    public IReadOnlyDictionary<string, long> ReparsedBecause { get; init; } = new SortedDictionary<string, long>(StringComparer.Ordinal);

    /// <summary>Objects in the index that the listing no longer holds.</summary>
    public long Deleted { get; init; }

    /// <summary>Objects scanned but left out of the new index (listing errors, rows that could not be encoded): read again next time.</summary>
    public long NotIndexed { get; init; }

    /// <summary>A problem with the old index (it was not used), or null.</summary>
    public string? Warning { get; init; }

    /// <summary>Segments of the new generation taken over whole from the old one (hard-linked, else copied; chunks whose every entry was reused).</summary>
    public int SegmentsCopied { get; init; }

    /// <summary>Segments of the new generation written entry by entry.</summary>
    public int SegmentsWritten { get; init; }

    /// <summary>Of <see cref="SegmentsCopied"/>, chunks of the listing that went on whole: their entries neither decoded nor merged one by one.</summary>
    public int ChunksWhole { get; init; }

    /// <summary>Rows of reused entries loaded from the old generation (for the chunks written again).</summary>
    public long RowsLoaded { get; init; }

    /// <summary>Part files of the chunked tables taken over from the previous output (hard-linked, else copied): the latest release, or the last audit into the same --out (see <see cref="Tables.PartReuse"/>).</summary>
    public int TablePartsTakenOver { get; init; }

    /// <summary>Rows in <see cref="TablePartsTakenOver"/>.</summary>
    public long TableRowsTakenOver { get; init; }

    /// <summary>Chunks whose parts in the previous release no longer matched its manifest: written again, not taken over.</summary>
    public int TableChunksRefused { get; init; }

    /// <summary>The first reasons for <see cref="TableChunksRefused"/>.</summary>
    public IReadOnlyList<string> TableChunkRefusals { get; init; } = [];

    /// <summary>Chunks whose collection-rule findings were kept from the last run, their instances not observed again.</summary>
    public int CollectionChunksKept { get; init; }

    /// <summary>Of <see cref="CollectionChunksKept"/>, those read back from the index because a change reached one of their groups.</summary>
    public int CollectionChunksReadBack { get; init; }

    /// <summary>Chunks of the instances table the release's join replayed from what it made of them last time, their rows not read back.</summary>
    public int JoinChunksReplayed { get; init; }

    /// <summary>The release's phases and their times (set in the report written beside the releases).</summary>
    public IReadOnlyList<Pipeline.PhaseTime> Phases { get; init; } = [];

    /// <summary>One or two lines for people.</summary>
    public string Describe()
    {
        var inv = CultureInfo.InvariantCulture;
        var text = string.Create(inv,
            $"Scan index: {Mode} ({Reason}): {Reused:N0} reused, {ParsedNew:N0} new, {ParsedChanged:N0} changed, {Reparsed:N0} re-read, {Deleted:N0} deleted.");
        if (ReparsedBecause.Count > 0) text += " Re-read: " + string.Join("; ", ReparsedBecause.Select(kv => string.Create(inv, $"{kv.Key} {kv.Value:N0}"))) + ".";
        if (SegmentsCopied + SegmentsWritten > 0) text += string.Create(inv, $" Segments: {SegmentsCopied:N0} taken over ({ChunksWhole:N0} of them whole, unread), {SegmentsWritten:N0} written; {RowsLoaded:N0} rows loaded from the old index.");
        if (TablePartsTakenOver > 0) text += string.Create(inv, $" Table parts taken over from the previous output: {TablePartsTakenOver:N0} ({TableRowsTakenOver:N0} rows).");
        if (CollectionChunksKept > 0) text += string.Create(inv, $" Collection rules: {CollectionChunksKept:N0} chunks kept, {CollectionChunksReadBack:N0} of them read back.");
        if (JoinChunksReplayed > 0) text += string.Create(inv, $" Join: {JoinChunksReplayed:N0} chunks replayed.");
        if (TableChunksRefused > 0)
        {
            var chunks = TableChunksRefused == 1 ? "1 chunk" : string.Create(inv, $"{TableChunksRefused:N0} chunks");
            text += Environment.NewLine + $"Warning: {chunks} of the previous release written again, not taken over: "
                + string.Join("; ", TableChunkRefusals) + (TableChunkRefusals.Count < TableChunksRefused ? "; …" : "") + ".";
        }

        if (Warning is not null) text += Environment.NewLine + "Warning: " + Warning;
        return text;
    }
}
