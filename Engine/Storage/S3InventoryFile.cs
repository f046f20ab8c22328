namespace Nccid.Batch.Storage;

/// <summary>One data file of an S3 Inventory report, as its manifest lists it.</summary>
/// <param name="Key">The file's key in the destination bucket.</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="Md5">The MD5 of its bytes, lower-case hex.</param>
public sealed record S3InventoryFile(string Key, long Size, string Md5);
