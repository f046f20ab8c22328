using System.Buffers;

namespace Nccid.Batch.Dicom;

/// <summary>
/// A growable character buffer that starts on the caller's stack and moves to a pooled array only when a
/// value outgrows it, so decoding allocates nothing but the result string.
/// </summary>
internal ref struct CharBuffer
{
    private Span<char> chars;
    private char[]? rented;
    private int length;

    /// <summary>Starts writing into <paramref name="initial"/>.</summary>
    public CharBuffer(Span<char> initial)
    {
        chars = initial;
        rented = null;
        length = 0;
    }

    /// <summary>Appends one character.</summary>
    public void Append(char c)
    {
        if (length == chars.Length)
        {
            Grow(1);
        }

        chars[length++] = c;
    }

    /// <summary>Returns free space of at least <paramref name="sizeHint"/> characters; call <see cref="Advance"/> after writing.</summary>
    public Span<char> GetSpan(int sizeHint)
    {
        if (chars.Length - length < sizeHint)
        {
            Grow(sizeHint);
        }

        return chars[length..];
    }

    /// <summary>Marks <paramref name="count"/> characters written into the span from <see cref="GetSpan"/>.</summary>
    public void Advance(int count) => length += count;

    /// <summary>The characters written so far, as a new string.</summary>
    public override readonly string ToString() => new(chars[..length]);

    /// <summary>Returns the pooled array, if one was taken.</summary>
    public void Dispose()
    {
        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
            rented = null;
        }
    }

    private void Grow(int needed)
    {
        var next = ArrayPool<char>.Shared.Rent(Math.Max(chars.Length * 2, length + needed));
        chars[..length].CopyTo(next);
        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }

        rented = next;
        chars = next;
    }
}
