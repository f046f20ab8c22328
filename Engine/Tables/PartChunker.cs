using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;

namespace Nccid.Batch.Tables;

/// <summary>
/// Cuts a table's rows, in listing order, into chunks at content-defined places: a chunk ends before a key whose
/// hash hits a fixed pattern once the chunk holds a minimum of rows, or at a maximum, and always where the key's
/// top-level folder changes. Where a chunk ends depends only on the keys, not on the run, so a release built from an
/// index and one built from scratch cut the same chunks, and adding files in one place of the listing moves the
/// boundaries of one or two chunks only; files added in a new top-level folder (a new drop zone, a new split) leave
/// every other chunk as it was, and files added at the end of one leave the chunks of the others.
/// Each chunk gets a fingerprint of what its rows are made from (every key, size and modification time, and the
/// settings <see cref="Salt"/>): equal fingerprints mean equal rows, so the chunk's part files can be taken over.
/// </summary>
public sealed class PartChunker
{
    /// <summary>The default fewest rows in a chunk (except the last of a top-level folder).</summary>
    public const int DefaultMinRows = 2_048;

    /// <summary>The default most rows in a chunk.</summary>
    public const int DefaultMaxRows = 32_768;

    /// <summary>The default 1/probability that a key past the minimum ends a chunk: about 8,000 rows per chunk on average.</summary>
    public const int DefaultDivisor = 6_000;

    private readonly byte[] _salt;
    private readonly int _minRows;
    private readonly int _maxRows;
    private readonly ulong _divisor;
    private IncrementalHash? _hash;
    private int _rows;
    private bool _allReused = true;
    // Rows gather here and go to the hash a buffer at a time: the digest is the same, the calls into it far fewer.
    private byte[] _buffer = new byte[8192];
    private int _buffered;
    private string? _folder;

    /// <summary>Creates a chunker whose fingerprints also cover <paramref name="salt"/> (parser, settings and rules versions).</summary>
    /// <param name="salt">What the rows depend on besides the objects.</param>
    /// <param name="minRows">Fewest rows in a chunk (except the last of a top-level folder).</param>
    /// <param name="maxRows">Most rows in a chunk.</param>
    /// <param name="divisor">Past <paramref name="minRows"/>, a key ends the chunk with probability 1/divisor.</param>
    public PartChunker(string salt, int minRows = DefaultMinRows, int maxRows = DefaultMaxRows, int divisor = DefaultDivisor)
    {
        ArgumentNullException.ThrowIfNull(salt);
        ArgumentOutOfRangeException.ThrowIfLessThan(minRows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, minRows);
        ArgumentOutOfRangeException.ThrowIfLessThan(divisor, 1);
        Salt = salt;
        _salt = Encoding.UTF8.GetBytes(salt);
        _minRows = minRows;
        _maxRows = maxRows;
        _divisor = (ulong)divisor;
    }

    /// <summary>What the rows depend on besides the listed objects.</summary>
    public string Salt { get; }

    /// <summary>Rows in the open chunk.</summary>
    public int Rows => _rows;

    /// <summary>True when the row with <paramref name="key"/> must start a new chunk (the open one is then finished first).</summary>
    public bool EndsBefore(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_rows == 0) return false;
        if (_rows >= _maxRows || !TopFolder(key).SequenceEqual(_folder)) return true;
        return _rows >= _minRows && KeyHash(key) % _divisor == 0;
    }

    /// <summary>The key's first '/'-separated segment, or empty for a key at the top.</summary>
    private static ReadOnlySpan<char> TopFolder(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? [] : key.AsSpan(0, slash);
    }

    /// <summary>Adds a row to the open chunk.</summary>
    /// <param name="key">The object's key.</param>
    /// <param name="size">Its size.</param>
    /// <param name="modifiedTicks">Its modification time.</param>
    /// <param name="reused">True when its row was taken from an index unchanged (not read again).</param>
    public void Add(string key, long size, long modifiedTicks, bool reused)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_hash is null)
        {
            _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            _hash.AppendData(_salt);
        }

        var need = Encoding.UTF8.GetMaxByteCount(key.Length) + 20;
        if (_buffer.Length - _buffered < need) Flush();
        if (_buffer.Length < need) _buffer = new byte[Math.Max(need, _buffer.Length * 2)];
        var span = _buffer.AsSpan(_buffered);
        var length = Encoding.UTF8.GetBytes(key, span[4..]);
        BinaryPrimitives.WriteInt32LittleEndian(span, length);
        BinaryPrimitives.WriteInt64LittleEndian(span[(4 + length)..], size);
        BinaryPrimitives.WriteInt64LittleEndian(span[(12 + length)..], modifiedTicks);
        _buffered += 20 + length;
        if (_rows == 0) _folder = TopFolder(key).ToString();
        _rows++;
        _allReused &= reused;
    }

    /// <summary>
    /// Finishes the open chunk: its fingerprint, and whether every row came unchanged from an index (only then may
    /// its parts be taken over; a row read again may differ for reasons the fingerprint does not see, such as a storage fault).
    /// </summary>
    public (string Fingerprint, bool AllReused, int Rows) Finish()
    {
        Flush();
        var fingerprint = _hash is null ? string.Empty : Convert.ToHexStringLower(_hash.GetHashAndReset());
        _hash?.Dispose();
        _hash = null;
        var result = (fingerprint, _allReused && _rows > 0, _rows);
        _rows = 0;
        _allReused = true;
        return result;
    }

    private void Flush()
    {
        if (_buffered == 0) return;
        _hash!.AppendData(_buffer, 0, _buffered);
        _buffered = 0;
    }

    /// <summary>
    /// XXH3 over the key's UTF-8 bytes: stable across runs and platforms, unlike string hash codes, and a fraction of
    /// the cost of a byte-at-a-time hash over the hundred or so characters of every key listed.
    /// </summary>
    private static ulong KeyHash(string key)
    {
        const int OnStack = 512;
        var most = Encoding.UTF8.GetMaxByteCount(key.Length);
        byte[]? rented = null;
        Span<byte> bytes = most <= OnStack ? stackalloc byte[OnStack] : (rented = ArrayPool<byte>.Shared.Rent(most));
        var hash = XxHash3.HashToUInt64(bytes[..Encoding.UTF8.GetBytes(key, bytes)]);
        if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        return hash;
    }
}
