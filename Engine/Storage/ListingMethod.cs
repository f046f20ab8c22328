namespace Nccid.Batch.Storage;

/// <summary>Where the list of objects of a scan came from.</summary>
public enum ListingMethod
{
    /// <summary>A walk of a local or mounted folder.</summary>
    Folder,

    /// <summary>S3's ListObjectsV2, page by page.</summary>
    ListObjectsV2,

    /// <summary>An S3 Inventory report (CSV or Parquet) named by its manifest.</summary>
    Inventory,
}
