namespace Nccid.Batch.Storage;

/// <summary>An object found by a listing: a file on disk or an object in a bucket.</summary>
/// <param name="Key">The path relative to the store's root, with '/' separators.</param>
/// <param name="Size">Size in bytes (0 when the entry could not be read).</param>
/// <param name="ModifiedUtc">Last modification time, UTC.</param>
/// <param name="ListingError">Why the entry could not be listed or opened (permission denied, broken link), or null.</param>
public sealed record StoredObject(string Key, long Size, DateTime ModifiedUtc, string? ListingError = null);
