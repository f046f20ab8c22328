using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Nccid.Batch.Audit;

/// <summary>
/// A set of paths kept as 128-bit hashes of their characters (XxHash128), 16 bytes a path instead of the string: the
/// quarantined files of a release can be a large share of millions. Two of a billion distinct paths share a hash with
/// a probability under 10⁻²⁰.
/// </summary>
public sealed class PathSet
{
    private readonly HashSet<UInt128> _hashes = [];

    /// <summary>Paths added (distinct).</summary>
    public int Count => _hashes.Count;

    /// <summary>Adds <paramref name="path"/>; false when it was there.</summary>
    public bool Add(string path) => _hashes.Add(Hash(path));

    /// <summary>True when <paramref name="path"/> was added.</summary>
    public bool Contains(string path) => _hashes.Contains(Hash(path));

    private static UInt128 Hash(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return XxHash128.HashToUInt128(MemoryMarshal.AsBytes(path.AsSpan()));
    }
}
