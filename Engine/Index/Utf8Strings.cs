using System.Text;

namespace Nccid.Batch.Index;

/// <summary>
/// Decodes short UTF-8 strings to a shared copy: index entries repeat the same rule ids, tag paths, details, modalities
/// and series UIDs many times, and a string per occurrence was most of what decoding an entry allocated. Each thread
/// has a direct-mapped table of recent strings (a clash replaces the older one), so memory is bounded and no lock is taken.
/// </summary>
internal static class Utf8Strings
{
    /// <summary>Longer strings are decoded each time (they are rarely repeated).</summary>
    private const int MaxBytes = 128;

    private const int Slots = 1 << 12;

    [ThreadStatic]
    private static Slot[]? t_slots;

    /// <summary>The string whose UTF-8 bytes are <paramref name="utf8"/>, shared with earlier calls on this thread when it is recent.</summary>
    public static string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty) return string.Empty;
        if (utf8.Length > MaxBytes) return Encoding.UTF8.GetString(utf8);
        var hash = new HashCode();
        hash.AddBytes(utf8);
        ref var slot = ref (t_slots ??= new Slot[Slots])[hash.ToHashCode() & (Slots - 1)];
        if (slot.Utf8 is { } known && utf8.SequenceEqual(known)) return slot.Value!;
        var value = Encoding.UTF8.GetString(utf8);
        slot = new Slot(utf8.ToArray(), value);
        return value;
    }

    private readonly record struct Slot(byte[]? Utf8, string? Value);
}
