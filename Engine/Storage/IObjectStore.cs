namespace Nccid.Batch.Storage;

/// <summary>
/// Where bytes come from: lists objects under a root and reads byte ranges of them. A header read is one range
/// read of the first bytes, so the same pipeline serves local disks and object stores.
/// </summary>
public interface IObjectStore
{
    /// <summary>A description of the root for logs and manifests (never containing credentials).</summary>
    string Description { get; }

    /// <summary>
    /// Lists every object under the root in ascending ordinal order of key, path segment by segment.
    /// Entries that cannot be listed are returned with <see cref="StoredObject.ListingError"/> set, never skipped.
    /// </summary>
    IAsyncEnumerable<StoredObject> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Reads up to <paramref name="destination"/>.Length bytes starting at <paramref name="offset"/>; returns the
    /// number read, which is smaller only at the end of the object.
    /// </summary>
    ValueTask<int> ReadAsync(StoredObject storedObject, long offset, Memory<byte> destination, CancellationToken cancellationToken);
}
