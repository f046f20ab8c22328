namespace Nccid.Batch.Storage;

/// <summary>One row of an inventory data file, key decoded.</summary>
/// <param name="Bucket">The bucket column, or null when the file has none.</param>
/// <param name="Key">The object's key.</param>
/// <param name="Size">Its size; null for delete markers.</param>
/// <param name="ModifiedUtc">Its last modification, UTC; default when the inventory does not carry it.</param>
/// <param name="IsCurrent">False for older versions and delete markers of a versioned inventory.</param>
/// <param name="ETag">Its entity tag without quotes; null when the inventory does not carry it.</param>
internal readonly record struct S3InventoryRow(string? Bucket, string Key, long? Size, DateTime ModifiedUtc, bool IsCurrent, string? ETag = null);
