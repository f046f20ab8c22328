namespace Nccid.Batch.Storage;

/// <summary>Turns a location given on the command line or in a job file into a store: a folder or an S3 prefix.</summary>
public static class StorageLocation
{
    /// <summary>The scheme of S3 locations.</summary>
    public const string S3Scheme = "s3://";

    /// <summary>Whether <paramref name="location"/> is an <c>s3://</c> URI rather than a path.</summary>
    public static bool IsS3(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        return location.StartsWith(S3Scheme, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Opens <paramref name="location"/>: an <see cref="S3ObjectStore"/> for <c>s3://bucket/prefix</c> (reached
    /// through the SDK's standard chain of credentials, region and endpoint), else a <see cref="LocalFileStore"/>.
    /// The caller disposes the store when it is <see cref="IDisposable"/>.
    /// </summary>
    /// <exception cref="ArgumentException">An s3:// URI without a valid bucket.</exception>
    /// <exception cref="DirectoryNotFoundException">A folder that does not exist.</exception>
    public static IObjectStore Parse(string location)
    {
        ArgumentException.ThrowIfNullOrEmpty(location);
        return IsS3(location) ? new S3ObjectStore(S3StoreOptions.Parse(location)) : new LocalFileStore(location);
    }

    /// <summary>
    /// Opens <paramref name="location"/> as <see cref="Parse"/> does; with <paramref name="inventory"/>, an S3 location
    /// is listed from that S3 Inventory report (<see cref="S3InventoryStore"/>), its age measured by <paramref name="time"/>.
    /// </summary>
    /// <exception cref="ArgumentException">An invalid location, or an inventory for a location that is not s3://.</exception>
    /// <exception cref="DirectoryNotFoundException">A folder that does not exist.</exception>
    public static IObjectStore Open(string location, S3InventoryOptions? inventory, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrEmpty(location);
        ArgumentNullException.ThrowIfNull(time);
        if (inventory is null) return Parse(location);
        if (!IsS3(location)) throw new ArgumentException($"An S3 Inventory lists s3:// sources only; '{location}' is a folder.", nameof(inventory));
        inventory.Validated();
        return new S3InventoryStore(new S3ObjectStore(S3StoreOptions.Parse(location)), inventory, time);
    }
}
