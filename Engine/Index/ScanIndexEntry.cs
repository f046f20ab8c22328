using Nccid.Batch.Dicom;
using Nccid.Batch.Pipeline;
using Nccid.Batch.Storage;

namespace Nccid.Batch.Index;

/// <summary>
/// One object in a scan index: the listing facts that decide whether it changed, and what its scan made of it, so
/// an unchanged object is not read again. What every run needs (the meta payload: for an audit, the findings and
/// collection facts) is kept apart from the row, which an entry read from an index loads only when asked
/// (<see cref="LoadRow"/>).
/// </summary>
public sealed class ScanIndexEntry
{
    /// <summary>The object's key, as listed.</summary>
    public required string Key { get; init; }

    /// <summary>Size in bytes when it was scanned.</summary>
    public long Size { get; init; }

    /// <summary>Last-modified time (UTC ticks) when it was scanned.</summary>
    public long ModifiedTicks { get; init; }

    /// <summary>The object's entity tag when it was scanned, where the store lists one (see <see cref="Storage.StoredObject.ETag"/>).</summary>
    public string? ETag { get; init; }

    /// <summary>The <see cref="Dicom.DicomErrorKind"/> name when its header could not be read; null when it was.</summary>
    public string? ErrorKind { get; init; }

    /// <summary>True when a finding depends on the run's reference date (a date in the future), so a later date re-audits it.</summary>
    public bool DependsOnReferenceDate { get; init; }

    /// <summary>Bytes the read that made the row fetched.</summary>
    public long BytesRead { get; init; }

    /// <summary>Range reads that read took.</summary>
    public int Requests { get; init; }

    /// <summary>What every run needs besides the listing facts (see <see cref="IIndexCodec{TRow}"/>); empty when nothing.</summary>
    public required byte[] Payload { get; init; }

    /// <summary>The encoded row; null while an entry read from an index has not loaded it.</summary>
    public byte[]? RowPayload { get; private set; }

    /// <summary>The row's large text value (header_json), kept apart from the row; null when it has none or it is not loaded.</summary>
    public string? Text { get; private set; }

    /// <summary>Where an entry read from an index loads its row from; null for an entry made by this run.</summary>
    internal ScanIndexRows? Source { get; init; }

    /// <summary>The entry's segment in <see cref="Source"/>.</summary>
    internal int Segment { get; init; }

    /// <summary>The entry's place in its segment.</summary>
    internal long Ordinal { get; init; }

    /// <summary>True when the entry was read from an index (rather than made by this run).</summary>
    public bool FromIndex => Source is not null;

    /// <summary>An entry made by a scan, with its row.</summary>
    public static ScanIndexEntry Made(string key, long size, long modifiedTicks, string? etag, string? errorKind, bool dependsOnReferenceDate, long bytesRead, int requests,
        byte[] payload, byte[] rowPayload, string? text) => new()
        {
            Key = key, Size = size, ModifiedTicks = modifiedTicks, ETag = etag, ErrorKind = errorKind, DependsOnReferenceDate = dependsOnReferenceDate, BytesRead = bytesRead,
            Requests = requests, Payload = payload, RowPayload = rowPayload, Text = text,
        };

    /// <summary>The row and its text, loaded from the index on first use (entries of one segment in order, on one thread at a time).</summary>
    public (byte[] Row, string? Text) LoadRow()
    {
        if (RowPayload is null)
        {
            var (row, text) = Source?.Load(Segment, Ordinal) ?? throw new InvalidOperationException($"The index entry of '{Key}' has no row.");
            RowPayload = row;
            Text = text;
        }

        return (RowPayload, Text);
    }

    /// <summary>
    /// The entry of a row just read: <paramref name="stored"/>'s key and version, what the read recorded, and the row
    /// encoded by <paramref name="codec"/>. Null for an object listed with an error (it says nothing about the bytes)
    /// or a row the codec cannot encode: left out of the index, such an object is read again by the next run.
    /// </summary>
    public static ScanIndexEntry? Of<TRow>(IIndexCodec<TRow> codec, StoredObject stored, HeaderReadResult result, TRow row)
    {
        ArgumentNullException.ThrowIfNull(codec);
        ArgumentNullException.ThrowIfNull(stored);
        if (stored.ListingError is not null) return null;
        (byte[] Meta, byte[] Row, string? Text) encoded;
        try
        {
            encoded = codec.Encode(row);
        }
        catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException or ArgumentException)
        {
            return null;
        }

        return Made(stored.Key, stored.Size, stored.ModifiedUtc.Ticks, stored.ETag, result.Status == DicomParseStatus.Error ? result.Error.Kind.ToString() : null,
            codec.DependsOnReferenceDate(row), result.BytesRead, result.Requests, encoded.Meta, encoded.Row, encoded.Text);
    }
}
