using System.Runtime.InteropServices;

namespace Nccid.Batch.Audit;

/// <summary>Where one chunk's group keys for one check lie in a <see cref="GroupKeySpill"/>.</summary>
/// <param name="Offset">Byte offset of the first key.</param>
/// <param name="Count">Number of keys (sorted and distinct).</param>
internal readonly record struct KeyRange(long Offset, int Count);

/// <summary>
/// The group keys of every chunk of an audit (<see cref="ICollectionCheck.AddGroupKeys"/>), this run's and the last run's,
/// kept in a scratch file until the collection rules end: eight bytes a file per check that has keys, which held in memory
/// grew with the collection (about 10 MB at a million files) to the end of the audit. Only one chunk's keys are in memory
/// at a time. Not thread-safe: the audit's single writer appends, and reads come after.
/// </summary>
internal sealed class GroupKeySpill(string directory) : IDisposable
{
    private const int CopyKeys = 8_192;
    private readonly string _path = Path.Combine(directory, "group-keys-" + Guid.NewGuid().ToString("N") + ".bin");
    private FileStream? _file;
    private long _length;

    /// <summary>Appends <paramref name="keys"/> (sorted and distinct) and says where they are.</summary>
    public KeyRange Write(ReadOnlySpan<ulong> keys)
    {
        if (keys.IsEmpty) return new KeyRange(_length, 0);
        var range = new KeyRange(_length, keys.Length);
        Opened.Write(MemoryMarshal.AsBytes(keys));
        _length += (long)keys.Length * sizeof(ulong);
        return range;
    }

    /// <summary>Appends the next <paramref name="count"/> keys <paramref name="reader"/> holds (as <see cref="CopyTo"/> wrote them).</summary>
    public KeyRange Write(BinaryReader reader, int count)
    {
        var range = new KeyRange(_length, count);
        var buffer = new ulong[Math.Min(count, CopyKeys)];
        for (var left = count; left > 0;)
        {
            var n = Math.Min(left, buffer.Length);
            for (var k = 0; k < n; k++) buffer[k] = reader.ReadUInt64();
            Opened.Write(MemoryMarshal.AsBytes(buffer.AsSpan(0, n)));
            _length += (long)n * sizeof(ulong);
            left -= n;
        }

        return range;
    }

    /// <summary>The keys of <paramref name="range"/>, read back.</summary>
    public ulong[] Read(KeyRange range)
    {
        var keys = new ulong[range.Count];
        if (range.Count == 0) return keys;
        var file = Opened;
        file.Flush();
        var bytes = MemoryMarshal.AsBytes(keys.AsSpan());
        for (var read = 0; read < bytes.Length;)
        {
            var n = RandomAccess.Read(file.SafeFileHandle, bytes[read..], range.Offset + read);
            if (n == 0) throw new EndOfStreamException($"{_path} ends before the group keys it was given.");
            read += n;
        }

        return keys;
    }

    /// <summary>Writes the keys of <paramref name="range"/> to <paramref name="writer"/>, each as a <see cref="BinaryWriter.Write(ulong)"/>.</summary>
    public void CopyTo(KeyRange range, BinaryWriter writer)
    {
        for (var done = 0; done < range.Count; done += CopyKeys)
        {
            foreach (var key in Read(new KeyRange(range.Offset + ((long)done * sizeof(ulong)), Math.Min(CopyKeys, range.Count - done)))) writer.Write(key);
        }
    }

    private FileStream Opened
    {
        get
        {
            if (_file is not null) return _file;
            Directory.CreateDirectory(directory);
            return _file = new FileStream(_path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _file?.Dispose();
}
