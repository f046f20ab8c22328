using System.Buffers.Binary;
using System.Text;

namespace Nccid.Batch.Index;

/// <summary>
/// Reads an index payload in place, in the layout <see cref="Audit.InstanceFactsCodec"/> writes; any read past its end
/// is an <see cref="InvalidDataException"/>.
/// </summary>
internal ref struct PayloadReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _at;

    public readonly bool AtEnd => _at == _data.Length;

    public byte Byte() => Take(1)[0];

    public bool Bool() => Take(1)[0] != 0;

    public long Long() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    public double Double() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    public int? Int() => Bool() ? BinaryPrimitives.ReadInt32LittleEndian(Take(4)) : null;

    public int Count()
    {
        var value = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            var b = Take(1)[0];
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                if (value < 0) break;
                return value;
            }
        }

        throw new InvalidDataException("An index payload holds a bad length.");
    }

    public string? Str()
    {
        var length = Count();
        return length == 0 ? null : Encoding.UTF8.GetString(Take(length - 1));
    }

    /// <summary>A string many entries repeat, shared (<see cref="Utf8Strings"/>).</summary>
    public string? Shared()
    {
        var length = Count();
        return length == 0 ? null : Utf8Strings.Get(Take(length - 1));
    }

    /// <summary>A list of shared strings: its length plus one (0 for null), then each string, none null.</summary>
    public string[]? Strings()
    {
        var length = Count();
        if (length == 0) return null;
        // Each string takes at least one byte, so a corrupt count cannot make a huge array.
        if (length - 1 > _data.Length - _at) throw new InvalidDataException("An index payload ends early.");
        var values = new string[length - 1];
        for (var i = 0; i < values.Length; i++) values[i] = Shared() ?? throw new InvalidDataException("An index payload holds a null in a list of strings.");
        return values;
    }

    /// <summary>A string's bytes, undecoded (empty, and <paramref name="present"/> false, for null).</summary>
    public ReadOnlySpan<byte> Utf8(out bool present)
    {
        var length = Count();
        present = length != 0;
        return present ? Take(length - 1) : default;
    }

    public double[]? Doubles()
    {
        var length = Count();
        if (length == 0) return null;
        if ((long)(length - 1) * 8 > _data.Length - _at) throw new InvalidDataException("An index payload ends early.");
        var values = new double[length - 1];
        for (var i = 0; i < values.Length; i++) values[i] = Double();
        return values;
    }

    public byte[]? Bytes()
    {
        var length = Count();
        return length == 0 ? null : Take(length - 1).ToArray();
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > _data.Length - _at) throw new InvalidDataException("An index payload ends early.");
        var slice = _data.Slice(_at, count);
        _at += count;
        return slice;
    }
}
