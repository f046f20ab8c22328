using Nccid.Batch.Storage;

namespace Nccid.Batch.Audit;

/// <summary>What collection rules may use at the end of a run: the store (to compare duplicate files byte for byte).</summary>
/// <param name="Store">The scanned store.</param>
public sealed record CollectionContext(IObjectStore Store);
