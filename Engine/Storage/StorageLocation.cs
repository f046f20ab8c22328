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
}
