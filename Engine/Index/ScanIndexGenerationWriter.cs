namespace Nccid.Batch.Index;

/// <summary>
/// Writes the segments of a new generation into its <c>entries/</c> folder, in listing order: a chunk whose every
/// entry was reused has its old segment's files copied as they are; any other is written entry by entry.
/// </summary>
internal sealed class ScanIndexGenerationWriter(string entriesDirectory)
{
    private readonly List<ScanIndexChunk> _segments = [];

    /// <summary>The segments so far.</summary>
    public IReadOnlyList<ScanIndexChunk> Segments => _segments;

    /// <summary>Entries so far.</summary>
    public long Count { get; private set; }

    /// <summary>Segments copied from the old generation.</summary>
    public int Copied { get; private set; }

    /// <summary>Segments written entry by entry.</summary>
    public int Written { get; private set; }

    /// <summary>Writes a segment of <paramref name="entries"/> (none: no segment).</summary>
    public void Write(string fingerprint, IEnumerable<ScanIndexEntry> entries)
    {
        Directory.CreateDirectory(entriesDirectory);
        var (meta, rows) = ScanIndexStore.SegmentNames(_segments.Count);
        long count;
        using (var writer = new ScanIndexSegment.Writer(Path.Combine(entriesDirectory, meta), Path.Combine(entriesDirectory, rows)))
        {
            foreach (var entry in entries) writer.Add(entry);
            writer.Complete();
            count = writer.Count;
        }

        if (count == 0)
        {
            File.Delete(Path.Combine(entriesDirectory, meta));
            File.Delete(Path.Combine(entriesDirectory, rows));
            return;
        }

        _segments.Add(new ScanIndexChunk(fingerprint, meta, rows, count));
        Count += count;
        Written++;
    }

    /// <summary>Copies an old segment's files (the chunk <paramref name="fingerprint"/>, unchanged) as the next segment.</summary>
    public void Copy(string fingerprint, (string Meta, string Rows) files, long entries)
    {
        Directory.CreateDirectory(entriesDirectory);
        var (meta, rows) = ScanIndexStore.SegmentNames(_segments.Count);
        CopyDurably(files.Meta, Path.Combine(entriesDirectory, meta));
        CopyDurably(files.Rows, Path.Combine(entriesDirectory, rows));
        _segments.Add(new ScanIndexChunk(fingerprint, meta, rows, entries));
        Count += entries;
        Copied++;
    }

    private static void CopyDurably(string source, string target)
    {
        using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        using var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        input.CopyTo(output);
        output.Flush(flushToDisk: true);
    }
}
