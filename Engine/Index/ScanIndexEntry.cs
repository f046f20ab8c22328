namespace Nccid.Batch.Index;

/// <summary>
/// One object in a scan index: the listing facts that decide whether it changed, and what its scan made of it
/// (the encoded row, with its findings and collection facts for an audit), so an unchanged object is not read again.
/// </summary>
public sealed class ScanIndexEntry
{
    /// <summary>The object's key, as listed.</summary>
    public required string Key { get; init; }

    /// <summary>Size in bytes when it was scanned.</summary>
    public long Size { get; init; }

    /// <summary>Last-modified time (UTC ticks) when it was scanned.</summary>
    public long ModifiedTicks { get; init; }

    /// <summary>The <see cref="Dicom.DicomErrorKind"/> name when its header could not be read; null when it was.</summary>
    public string? ErrorKind { get; init; }

    /// <summary>True when a finding depends on the run's reference date (a date in the future), so a later date re-audits it.</summary>
    public bool DependsOnReferenceDate { get; init; }

    /// <summary>Bytes the read that made the row fetched.</summary>
    public long BytesRead { get; init; }

    /// <summary>Range reads that read took.</summary>
    public int Requests { get; init; }

    /// <summary>The encoded row (see <see cref="IIndexCodec{TRow}"/>).</summary>
    public required string Payload { get; init; }

    /// <summary>The row's large text value (header_json), kept apart from the payload; null when it has none.</summary>
    public string? Text { get; init; }
}
