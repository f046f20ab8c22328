using System.Buffers;
using System.Text;

namespace Nccid.Batch.Storage;

/// <summary>Strings read back from the binary records of spill files and index segments.</summary>
public static class SpillStrings
{
    /// <summary>
    /// Reads <paramref name="byteCount"/> bytes of UTF-8 and decodes them in one piece, from the stack or a pooled buffer
    /// rather than an array of their own (every spilled fact and every index entry is read back this way).
    /// </summary>
    public static string ReadUtf8(BinaryReader reader, int byteCount)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentOutOfRangeException.ThrowIfNegative(byteCount);
        if (byteCount == 0) return string.Empty;
        var rented = byteCount <= 256 ? null : ArrayPool<byte>.Shared.Rent(byteCount);
        Span<byte> bytes = rented is null ? stackalloc byte[byteCount] : rented.AsSpan(0, byteCount);
        try
        {
            // BinaryReader keeps no bytes of its own ahead of its stream, so the stream can be read directly.
            reader.BaseStream.ReadExactly(bytes);
            return Encoding.UTF8.GetString(bytes);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
