using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;

namespace Nccid.Batch.Dicom;

/// <summary>
/// A reusable buffer of compact UTF-8 JSON, written token by token without validation. Strings are escaped exactly as
/// System.Text.Json escapes them with <see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/>; text that needs no
/// escaping (almost all of a DICOM header) is copied as it is.
/// </summary>
internal sealed class JsonUtf8Buffer
{
    // What the relaxed encoder may escape in ASCII: the quote, the backslash, C0 controls and DEL. Text without any of
    // these and without non-ASCII bytes is its own JSON; anything else goes through the encoder itself.
    private static readonly SearchValues<byte> MayNeedEscaping = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Select(b => (byte)b), (byte)'"', (byte)'\\', .. Enumerable.Range(0x7F, 0x81).Select(b => (byte)b)]);

    private byte[] _bytes;
    private int _length;

    /// <summary>Creates an empty buffer of <paramref name="capacity"/> bytes, grown on demand.</summary>
    public JsonUtf8Buffer(int capacity = 16 << 10) => _bytes = new byte[Math.Max(capacity, 256)];

    /// <summary>The JSON written since the last <see cref="Clear"/>; valid until the next write.</summary>
    public ReadOnlySpan<byte> Written => _bytes.AsSpan(0, _length);

    /// <summary>Forgets what was written, keeping the memory.</summary>
    public void Clear() => _length = 0;

    /// <summary>Appends one byte of JSON syntax.</summary>
    public void Raw(byte value)
    {
        if (_length == _bytes.Length) Grow(1);
        _bytes[_length++] = value;
    }

    /// <summary>Appends JSON syntax or a value already in JSON form.</summary>
    public void Raw(ReadOnlySpan<byte> json)
    {
        if (_bytes.Length - _length < json.Length) Grow(json.Length);
        json.CopyTo(_bytes.AsSpan(_length));
        _length += json.Length;
    }

    /// <summary>Appends a number in the shortest form that reads back as the same value.</summary>
    public void Number<T>(T value) where T : IUtf8SpanFormattable
    {
        int written;
        while (!value.TryFormat(_bytes.AsSpan(_length), out written, default, System.Globalization.CultureInfo.InvariantCulture)) Grow(64);
        _length += written;
    }

    /// <summary>Appends a JSON string of the UTF-8 text <paramref name="utf8"/>.</summary>
    public void String(ReadOnlySpan<byte> utf8)
    {
        Raw((byte)'"');
        if (utf8.IndexOfAny(MayNeedEscaping) < 0)
        {
            Raw(utf8);
        }
        else
        {
            Escaped(utf8);
        }

        Raw((byte)'"');
    }

    /// <summary>Appends a JSON string of <paramref name="text"/>.</summary>
    public void String(ReadOnlySpan<char> text)
    {
        var length = Encoding.UTF8.GetMaxByteCount(text.Length);
        var rented = length <= 512 ? null : ArrayPool<byte>.Shared.Rent(length);
        Span<byte> utf8 = rented ?? stackalloc byte[512];
        try
        {
            String(utf8[..Encoding.UTF8.GetBytes(text, utf8)]);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Appends a property name that needs no escaping, and its colon.</summary>
    public void PropertyName(ReadOnlySpan<byte> name)
    {
        Raw((byte)'"');
        Raw(name);
        Raw("\":"u8);
    }

    private void Escaped(ReadOnlySpan<byte> utf8)
    {
        while (true)
        {
            var status = JavaScriptEncoder.UnsafeRelaxedJsonEscaping.EncodeUtf8(utf8, _bytes.AsSpan(_length), out var read, out var written);
            _length += written;
            utf8 = utf8[read..];
            if (status == OperationStatus.Done) return;
            if (status != OperationStatus.DestinationTooSmall) throw new InvalidOperationException("The encoder could not escape the text: " + status);
            Grow(Math.Max(64, utf8.Length * 6));
        }
    }

    private void Grow(int needed)
    {
        var next = new byte[Math.Max(_bytes.Length * 2, _length + needed)];
        _bytes.AsSpan(0, _length).CopyTo(next);
        _bytes = next;
    }
}
