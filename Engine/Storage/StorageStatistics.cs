namespace Nccid.Batch.Storage;

/// <summary>What a remote store cost: requests, bytes and retries, and how its objects were listed.</summary>
/// <param name="Requests">Requests sent: listing pages, inventory files, ranged GETs, retries included.</param>
/// <param name="BytesFetched">Body bytes received by ranged GETs of objects (inventory files not included).</param>
/// <param name="Retries">Attempts that failed transiently and were retried.</param>
/// <param name="Listing">Which listing was used, and why.</param>
public sealed record StorageStatistics(long Requests, long BytesFetched, long Retries, ListingReport Listing);
