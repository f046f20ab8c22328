using Nccid.Batch.Storage;

namespace Nccid.Batch.Index;

/// <summary>
/// Index entries that other processes made for some objects of this same run (the shards of a cluster release),
/// offered to an indexed scan so that it reads only what they did not.
/// </summary>
public interface IPrecomputedEntries
{
    /// <summary>
    /// Called on one thread, in listing order, for each object the index does not reuse: the entry made for
    /// <paramref name="stored"/>, when one was made from the same version of it (same size, time and entity tag).
    /// </summary>
    bool TryTake(StoredObject stored, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ScanIndexEntry? entry);
}
