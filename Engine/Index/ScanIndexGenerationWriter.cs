using Nccid.Batch.Storage;

namespace Nccid.Batch.Index;

/// <summary>
/// Writes the segments of a new generation into its <c>entries/</c> folder, in listing order: a chunk whose every
/// entry was reused has its old segment's files copied as they are; any other is written entry by entry, as the
/// entries come (<see cref="Begin"/>, <see cref="Add"/>, <see cref="End"/>) or all at once (<see cref="Write"/>).
/// </summary>
/// <param name="entriesDirectory">The new generation's <c>entries/</c> folder.</param>
/// <param name="verifiedChecksums">The checksums of the old generation's files, verified when it was opened, by full path.</param>
internal sealed class ScanIndexGenerationWriter(string entriesDirectory, IReadOnlyDictionary<string, string>? verifiedChecksums = null)
{
    private readonly List<ScanIndexChunk> _segments = [];
    private readonly Dictionary<string, string> _takenOverChecksums = new(StringComparer.Ordinal);
    private ScanIndexSegment.Writer? _open;
    private (string Meta, string Rows) _openNames;
    private ScanIndexChunkTally.Builder? _openTally;

    /// <summary>The segments so far.</summary>
    public IReadOnlyList<ScanIndexChunk> Segments => _segments;

    /// <summary>Entries so far.</summary>
    public long Count { get; private set; }

    /// <summary>Segments copied from the old generation.</summary>
    public int Copied { get; private set; }

    /// <summary>Segments written entry by entry.</summary>
    public int Written { get; private set; }

    /// <summary>The checksums of the files taken over from the old generation, by file name: the commit need not hash them again.</summary>
    public IReadOnlyDictionary<string, string> TakenOverChecksums => _takenOverChecksums;

    /// <summary>True while a segment begun with <see cref="Begin"/> is being written.</summary>
    public bool IsOpen => _open is not null;

    /// <summary>Writes a segment of <paramref name="entries"/> (none: no segment).</summary>
    public void Write(string fingerprint, IEnumerable<ScanIndexEntry> entries)
    {
        Begin();
        foreach (var entry in entries) Add(entry);
        End(fingerprint);
    }

    /// <summary>Starts the next segment, written entry by entry as they come (its chunk's fingerprint is given at <see cref="End"/>).</summary>
    public void Begin()
    {
        if (_open is not null) throw new InvalidOperationException("A segment is already being written.");
        Directory.CreateDirectory(entriesDirectory);
        _openNames = ScanIndexStore.SegmentNames(_segments.Count);
        _open = new ScanIndexSegment.Writer(Path.Combine(entriesDirectory, _openNames.Meta), Path.Combine(entriesDirectory, _openNames.Rows));
        _openTally = new ScanIndexChunkTally.Builder();
    }

    /// <summary>Adds an entry to the open segment (an entry read from the old generation loads its row first).</summary>
    public void Add(ScanIndexEntry entry)
    {
        (_open ?? throw new InvalidOperationException("No segment is being written.")).Add(entry);
        _openTally!.Add(entry);
    }

    /// <summary>Completes the open segment as the chunk <paramref name="fingerprint"/>; a segment without entries is removed.</summary>
    public void End(string fingerprint)
    {
        var writer = _open ?? throw new InvalidOperationException("No segment is being written.");
        var (meta, rows) = _openNames;
        long count;
        using (writer)
        {
            writer.Complete();
            count = writer.Count;
        }

        _open = null;
        var tally = _openTally!.Build();
        _openTally = null;
        if (count == 0)
        {
            File.Delete(Path.Combine(entriesDirectory, meta));
            File.Delete(Path.Combine(entriesDirectory, rows));
            return;
        }

        _segments.Add(new ScanIndexChunk(fingerprint, meta, rows, count) { Tally = tally });
        Count += count;
        Written++;
    }

    /// <summary>
    /// Takes over an old segment's files (its chunk unchanged) as the next segment: linked, else copied
    /// (<see cref="FileLinks"/>); a segment is never written again once its generation is committed.
    /// </summary>
    public void Copy(OldSegment old)
    {
        ArgumentNullException.ThrowIfNull(old);
        Directory.CreateDirectory(entriesDirectory);
        var (meta, rows) = ScanIndexStore.SegmentNames(_segments.Count);
        FileLinks.LinkOrCopy(old.Meta, Path.Combine(entriesDirectory, meta));
        FileLinks.LinkOrCopy(old.Rows, Path.Combine(entriesDirectory, rows));
        if (verifiedChecksums?.GetValueOrDefault(old.Meta) is { } metaChecksum) _takenOverChecksums[meta] = metaChecksum;
        if (verifiedChecksums?.GetValueOrDefault(old.Rows) is { } rowsChecksum) _takenOverChecksums[rows] = rowsChecksum;
        _segments.Add(old.Chunk with { Meta = meta, Rows = rows });
        Count += old.Chunk.Entries;
        Copied++;
    }
}

/// <summary>A segment of the generation a run started from, with the full paths of its files.</summary>
/// <param name="Index">Its place among that generation's segments.</param>
/// <param name="Chunk">Its record in that generation's header.</param>
/// <param name="Meta">Its meta file.</param>
/// <param name="Rows">Its rows file.</param>
internal sealed record OldSegment(int Index, ScanIndexChunk Chunk, string Meta, string Rows);
