using System.Text;

namespace Nccid.Batch.Dicom;

/// <summary>
/// Decodes a value under ISO 2022 code extensions (PS3.5 §6.1.2.5): escape sequences designate sets to
/// G0 (bytes 0x21-0x7E) and G1 (bytes 0x80-0xFF) mid-value, and control characters and delimiters
/// return both to the value's initial sets. Never throws: unknown or truncated escape sequences and
/// undecodable bytes come out as U+FFFD and decoding goes on.
/// </summary>
internal static class Iso2022Decoder
{
    private const byte Escape = 0x1B;
    private const int StackChars = 256;
    private const int ScratchBytes = 128;

    /// <summary>Decodes <paramref name="value"/>, starting (and resetting) with ASCII in G0 and <paramref name="initialG1"/> in G1.</summary>
    public static string Decode(ReadOnlySpan<byte> value, G1CodeElement initialG1, ValueDelimiters delimiters)
    {
        if (value.IndexOf(Escape) < 0 && System.Text.Ascii.IsValid(value))
        {
            return Encoding.Latin1.GetString(value);
        }

        var output = new CharBuffer(stackalloc char[StackChars]);
        try
        {
            DecodeInto(value, initialG1, delimiters, ref output);
            return output.ToString();
        }
        finally
        {
            output.Dispose();
        }
    }

    private static void DecodeInto(
        ReadOnlySpan<byte> value, G1CodeElement initialG1, ValueDelimiters delimiters, ref CharBuffer output)
    {
        var g0 = G0CodeElement.Ascii;
        var g1 = initialG1;
        var i = 0;
        while (i < value.Length)
        {
            var b = value[i];
            if (b == Escape)
            {
                i = ApplyEscape(value, i, ref g0, ref g1, ref output);
            }
            else if (b >= 0x80)
            {
                if (g1.MultiByte is { } encoding)
                {
                    var end = EndOfRun(value, i, 0x80, 0xFF);
                    AppendDecoded(encoding, value[i..end], ref output);
                    i = end;
                }
                else
                {
                    output.Append(g1.Table![b - 0x80]);
                    i++;
                }
            }
            else if (g0 != G0CodeElement.Ascii && b is >= 0x21 and <= 0x7E)
            {
                // Inside a two-byte G0 set '^', '=' and '\' are halves of kanji codes, not delimiters:
                // the writer must switch back to ASCII before a delimiter (PS3.5 §6.1.2.5.3).
                var end = EndOfRun(value, i, 0x21, 0x7E);
                if (g0 == G0CodeElement.JisX0208)
                {
                    AppendJisX0208(value[i..end], ref output);
                }
                else
                {
                    AppendJisX0212(value[i..end], ref output);
                }

                i = end;
            }
            else
            {
                if (b < 0x20 || IsDelimiter(b, delimiters))
                {
                    g0 = G0CodeElement.Ascii;
                    g1 = initialG1;
                }

                output.Append((char)b);
                i++;
            }
        }
    }

    private static bool IsDelimiter(byte b, ValueDelimiters delimiters) => b switch
    {
        (byte)'\\' => (delimiters & ValueDelimiters.Backslash) != 0,
        (byte)'^' or (byte)'=' => (delimiters & ValueDelimiters.PersonName) != 0,
        _ => false,
    };

    private static int EndOfRun(ReadOnlySpan<byte> value, int start, byte low, byte high)
    {
        var end = start + 1;
        while (end < value.Length && value[end] >= low && value[end] <= high)
        {
            end++;
        }

        return end;
    }

    /// <summary>
    /// Reads the escape sequence at <paramref name="start"/> (ESC, intermediates 0x20-0x2F, one final
    /// byte 0x30-0x7E) and applies it; returns the index after it.
    /// </summary>
    private static int ApplyEscape(
        ReadOnlySpan<byte> value, int start, ref G0CodeElement g0, ref G1CodeElement g1, ref CharBuffer output)
    {
        var end = start + 1;
        while (end < value.Length && value[end] is >= 0x20 and <= 0x2F)
        {
            end++;
        }

        if (end == value.Length)
        {
            output.Append(DicomEncodings.Replacement);
            return end;
        }

        var final = value[end];
        if (final is < 0x30 or > 0x7E)
        {
            // Not an escape sequence: drop ESC and its intermediates, and read the byte after them as text.
            output.Append(DicomEncodings.Replacement);
            return end;
        }

        var intermediates = value[(start + 1)..end];
        if (!TryDesignate(intermediates, final, ref g0, ref g1))
        {
            output.Append(DicomEncodings.Replacement);
        }

        return end + 1;
    }

    private static bool TryDesignate(ReadOnlySpan<byte> intermediates, byte final, ref G0CodeElement g0, ref G1CodeElement g1)
    {
        if (intermediates.Length == 1)
        {
            switch (intermediates[0], final)
            {
                case ((byte)'(', (byte)'B' or (byte)'J'):
                    g0 = G0CodeElement.Ascii;
                    return true;
                case ((byte)'$', (byte)'B' or (byte)'@'):
                    g0 = G0CodeElement.JisX0208;
                    return true;
                case ((byte)')', (byte)'I'):
                    g1 = G1CodeElement.Katakana;
                    return true;
                case ((byte)'-', _):
                    var set = NinetySixCharacterSet(final);
                    if (set is null)
                    {
                        return false;
                    }

                    g1 = set;
                    return true;
                default:
                    return false;
            }
        }

        if (intermediates.Length == 2 && intermediates[0] == (byte)'$')
        {
            switch (intermediates[1], final)
            {
                case ((byte)'(', (byte)'B' or (byte)'@'):
                    g0 = G0CodeElement.JisX0208;
                    return true;
                case ((byte)'(', (byte)'D'):
                    g0 = G0CodeElement.JisX0212;
                    return true;
                case ((byte)')', (byte)'C'):
                    g1 = G1CodeElement.KsX1001;
                    return true;
                case ((byte)')', (byte)'A'):
                    g1 = G1CodeElement.Gb2312;
                    return true;
                default:
                    return false;
            }
        }

        return false;
    }

    /// <summary>The 96-character set designated to G1 by ESC - <paramref name="final"/> (PS3.3 Table C.12-3).</summary>
    private static G1CodeElement? NinetySixCharacterSet(byte final) => final switch
    {
        (byte)'A' => G1CodeElement.Latin1,
        (byte)'B' => G1CodeElement.Latin2,
        (byte)'C' => G1CodeElement.Latin3,
        (byte)'D' => G1CodeElement.Latin4,
        (byte)'L' => G1CodeElement.Cyrillic,
        (byte)'G' => G1CodeElement.Arabic,
        (byte)'F' => G1CodeElement.Greek,
        (byte)'H' => G1CodeElement.Hebrew,
        (byte)'M' => G1CodeElement.Latin5,
        (byte)'b' => G1CodeElement.Latin9,
        (byte)'T' => G1CodeElement.Thai,
        _ => null,
    };

    private static void AppendDecoded(Encoding encoding, scoped ReadOnlySpan<byte> bytes, ref CharBuffer output)
    {
        var destination = output.GetSpan(encoding.GetMaxCharCount(bytes.Length));
        output.Advance(encoding.GetChars(bytes, destination));
    }

    /// <summary>JIS X 0208 in G0 is EUC-JP with the high bits cleared; set them again and let EUC-JP decode.</summary>
    private static void AppendJisX0208(ReadOnlySpan<byte> run, ref CharBuffer output)
    {
        Span<byte> scratch = stackalloc byte[ScratchBytes];
        while (!run.IsEmpty)
        {
            // Chunks of even length keep each two-byte code whole.
            var chunk = run[..Math.Min(run.Length, ScratchBytes)];
            for (var k = 0; k < chunk.Length; k++)
            {
                scratch[k] = (byte)(chunk[k] | 0x80);
            }

            AppendDecoded(DicomEncodings.EucJp, scratch[..chunk.Length], ref output);
            run = run[chunk.Length..];
        }
    }

    /// <summary>JIS X 0212 has no .NET decoder; its codes are looked up in <see cref="JisX0212Table"/>.</summary>
    private static void AppendJisX0212(ReadOnlySpan<byte> run, ref CharBuffer output)
    {
        var k = 0;
        for (; k + 1 < run.Length; k += 2)
        {
            var row = run[k] - 0x20;
            var cell = run[k + 1] - 0x20;
            output.Append(row <= JisX0212Table.RowCount
                ? JisX0212Table.Cells[((row - 1) * 94) + (cell - 1)]
                : DicomEncodings.Replacement);
        }

        if (k < run.Length)
        {
            output.Append(DicomEncodings.Replacement);
        }
    }
}
