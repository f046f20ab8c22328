namespace Nccid.Batch.Storage;

/// <summary>An object found by a listing: a file on disk or an object in a bucket.</summary>
/// <param name="Key">The path relative to the store's root, with '/' separators.</param>
/// <param name="Size">Size in bytes (0 when the entry could not be read).</param>
/// <param name="ModifiedUtc">Last modification time, UTC.</param>
/// <param name="ListingError">Why the entry could not be listed or opened (permission denied, broken link), or null.</param>
/// <param name="ETag">
/// The object's entity tag as the store lists it, without quotes (S3, and S3 inventories that carry it), or null where
/// the store has none (local files). It changes with the content even when the size and the listed time (whole
/// seconds in S3) do not, so the scan index compares it too.
/// </param>
public sealed record StoredObject(string Key, long Size, DateTime ModifiedUtc, string? ListingError = null, string? ETag = null)
{
    /// <summary>
    /// An entity tag as S3 lists it (<c>"…"</c>) without its quotes; null when empty. A weak tag (<c>W/"…"</c>, from
    /// some servers) keeps its <c>W/</c>, so it is never taken for the strong tag of the same value.
    /// </summary>
    public static string? TrimETag(string? etag)
    {
        if (string.IsNullOrEmpty(etag)) return null;
        var weak = etag.StartsWith("W/", StringComparison.Ordinal);
        var tag = etag.AsSpan(weak ? 2 : 0).Trim('"');
        if (tag.IsEmpty) return null;
        return weak ? "W/" + tag.ToString() : tag.Length == etag.Length ? etag : tag.ToString();
    }
}
