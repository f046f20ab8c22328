using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Nccid.Batch.Tables;

/// <summary>
/// A 128-bit hash of rows' values, column by column (<see cref="TableSchema{TRow}.ContentFingerprint"/>): each value is
/// preceded by whether it is there, strings and lists by their length, so no two different rows hash the same stream.
/// Values are gathered in a buffer and handed to the hash a buffer at a time (small appends cost more than the hashing).
/// </summary>
internal sealed class RowHash
{
    private readonly XxHash128 _hash = new();
    private readonly byte[] _buffer = new byte[8192];
    private int _used;

    /// <summary>Adds a string (or its absence).</summary>
    public void Add(string? value)
    {
        if (value is null)
        {
            Present(false);
            return;
        }

        Present(true);
        Add(value.Length);
        Append(MemoryMarshal.AsBytes(value.AsSpan()));
    }

    /// <summary>Adds a value (or its absence).</summary>
    public void Add<T>(T? value) where T : struct
    {
        Present(value.HasValue);
        if (value is { } v) Add(v);
    }

    /// <summary>Adds a value that is always there.</summary>
    public void Add<T>(T value) where T : struct => Append(MemoryMarshal.AsBytes(MemoryMarshal.CreateReadOnlySpan(ref value, 1)));

    /// <summary>Adds whether the next value is there.</summary>
    public void Present(bool present) => Add(present ? (byte)1 : (byte)0);

    /// <summary>The hash so far, as 32 lower-case hex digits.</summary>
    public string Hex()
    {
        Flush();
        return Convert.ToHexStringLower(_hash.GetCurrentHash());
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > _buffer.Length - _used)
        {
            Flush();
            if (bytes.Length > _buffer.Length)
            {
                _hash.Append(bytes);
                return;
            }
        }

        bytes.CopyTo(_buffer.AsSpan(_used));
        _used += bytes.Length;
    }

    private void Flush()
    {
        _hash.Append(_buffer.AsSpan(0, _used));
        _used = 0;
    }
}
