using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Nccid.Batch.Audit;

/// <summary>
/// Keys of the collection rules' groups: a 64-bit hash of the kind of group and its value. Two groups with one key are
/// only ever evaluated together more often than needed, never less, so a collision costs time, not correctness.
/// </summary>
public static class CollectionKeys
{
    /// <summary>The key of the group of kind <paramref name="kind"/> (a letter per kind within a check) named <paramref name="value"/>.</summary>
    public static ulong Of(char kind, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return XxHash3.HashToUInt64(MemoryMarshal.AsBytes(value.AsSpan()), kind);
    }
}
