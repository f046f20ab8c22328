using System.Buffers.Binary;

namespace Nccid.Batch.Synthetic;

/// <summary>
/// Fills pixel buffers with a cheap, seeded chest-like pattern (bright mediastinum, dark lung fields, noise),
/// reusing one buffer per size so that memory stays flat however many images are written.
/// </summary>
internal sealed class PixelSynthesizer
{
    private byte[] _buffer = [];

    /// <summary>Native 16-bit little-endian pixel words.</summary>
    public ReadOnlyMemory<byte> Native16(int rows, int columns, int bitsStored, SyntheticRandom rng)
    {
        var length = rows * columns * 2;
        var target = Rent(length);
        var mask = (1 << bitsStored) - 1;
        var peak = mask * 0.7;
        ulong bits = 0;
        var left = 0;
        var centreX = columns / 2.0;
        for (var y = 0; y < rows; y++)
        {
            var dy = (y - (rows / 2.0)) / rows;
            var rowOffset = y * columns * 2;
            for (var x = 0; x < columns; x++)
            {
                if (left == 0)
                {
                    bits = rng.NextUInt64();
                    left = 4;
                }

                var noise = (int)(bits & 0x3F);
                bits >>= 16;
                left--;
                var dx = Math.Abs(x - centreX) / columns;
                // Lungs: two dark ellipses either side of the midline.
                var lung = (((dx - 0.22) * (dx - 0.22)) / 0.02) + ((dy * dy) / 0.12);
                var value = lung < 1 ? peak * (0.25 + (0.3 * lung)) : peak * (1 - (dy * dy));
                var word = ((int)value + noise) & mask;
                BinaryPrimitives.WriteUInt16LittleEndian(target.AsSpan(rowOffset + (x * 2)), (ushort)word);
            }
        }

        return target.AsMemory(0, length);
    }

    /// <summary>Fake compressed bytes that start and end with the codec's markers (never decoded).</summary>
    public static byte[] FakeFragment(SyntheticTransferSyntax syntax, int length, SyntheticRandom rng)
    {
        var fragment = new byte[Math.Max(length, 16)];
        for (var i = 0; i < fragment.Length; i += 8)
        {
            var value = rng.NextUInt64();
            for (var b = 0; b < 8 && i + b < fragment.Length; b++)
            {
                // No 0xFF inside the entropy-coded part, so the only markers are the ones set below.
                fragment[i + b] = (byte)Math.Min(0xFE, (int)((value >> (b * 8)) & 0xFF));
            }
        }

        ReadOnlySpan<byte> start = syntax == SyntheticTransferSyntax.JpegBaseline
            ? [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F']
            : [0xFF, 0x4F, 0xFF, 0x51, 0x00, 0x29, 0x00, 0x00];
        start.CopyTo(fragment);
        fragment[^2] = 0xFF;
        fragment[^1] = 0xD9;
        return fragment;
    }

    private byte[] Rent(int length)
    {
        if (_buffer.Length != length)
        {
            _buffer = new byte[length];
        }

        return _buffer;
    }
}
