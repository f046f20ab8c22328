namespace Nccid.Batch.Index;

/// <summary>One segment of an index generation: a chunk of the listing, in order.</summary>
/// <param name="Fingerprint">The chunk's fingerprint (its keys, sizes and modification times; see <see cref="Tables.PartChunker"/>).</param>
/// <param name="Meta">Its meta file under <c>entries/</c>.</param>
/// <param name="Rows">Its rows file under <c>entries/</c>.</param>
/// <param name="Entries">Entries in it.</param>
public sealed record ScanIndexChunk(string Fingerprint, string Meta, string Rows, long Entries)
{
    /// <summary>What its entries add up to, so that a run finding the chunk unchanged can take it whole without reading them.</summary>
    public ScanIndexChunkTally? Tally { get; init; }
}

/// <summary>What the entries of a segment add up to (see <see cref="ScanIndexChunk.Tally"/>).</summary>
/// <param name="BytesStored">Their objects' stored bytes.</param>
/// <param name="BytesRead">Bytes the reads that made their rows fetched.</param>
/// <param name="Requests">Range reads those took.</param>
/// <param name="ETags">A digest of their entity tags, in order (<see cref="ScanIndexChunkTally.ETagDigest"/>): the chunk's fingerprint does not cover them.</param>
/// <param name="Retried">Entries a run always reads again (their read failed for a reason that may pass).</param>
/// <param name="Dated">Entries with a finding that depends on the reference date.</param>
/// <param name="Errors">Error entries by <see cref="Dicom.DicomErrorKind"/> name.</param>
public sealed record ScanIndexChunkTally(long BytesStored, long BytesRead, long Requests, string ETags, long Retried, long Dated, IReadOnlyDictionary<string, long> Errors)
{
    /// <summary>Adds up entries as they are written to a segment.</summary>
    internal sealed class Builder
    {
        private readonly SortedDictionary<string, long> _errors = new(StringComparer.Ordinal);
        private readonly ETagDigest _etags = new();
        private long _stored;
        private long _read;
        private long _requests;
        private long _retried;
        private long _dated;

        public void Add(ScanIndexEntry entry)
        {
            _stored += entry.Size;
            _read += entry.BytesRead;
            _requests += entry.Requests;
            _etags.Add(entry.ETag);
            if (entry.DependsOnReferenceDate) _dated++;
            if (entry.ErrorKind is { } kind)
            {
                _errors[kind] = _errors.GetValueOrDefault(kind) + 1;
                if (AlwaysRetried(kind)) _retried++;
            }
        }

        public ScanIndexChunkTally Build() => new(_stored, _read, _requests, _etags.Value, _retried, _dated, _errors);
    }

    /// <summary>True for an error a run always reads the file again for: a storage fault or an engine failure may not happen again.</summary>
    internal static bool AlwaysRetried(string errorKind) =>
        !Enum.TryParse<Dicom.DicomErrorKind>(errorKind, out var kind) || kind is Dicom.DicomErrorKind.Unreadable or Dicom.DicomErrorKind.Internal;

    /// <summary>A digest of a sequence of entity tags (null ones included): 64-bit XXH3 as hexadecimal.</summary>
    internal sealed class ETagDigest
    {
        private readonly System.IO.Hashing.XxHash3 _hash = new();
        private readonly byte[] _length = new byte[4];

        public void Add(string? etag)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(_length, etag?.Length ?? -1);
            _hash.Append(_length);
            if (etag is not null) _hash.Append(System.Runtime.InteropServices.MemoryMarshal.AsBytes(etag.AsSpan()));
        }

        public string Value => Convert.ToHexStringLower(_hash.GetCurrentHash());
    }
}
