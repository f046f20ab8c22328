using System.Text;

namespace Nccid.Batch.Audit.Deidentification;

/// <summary>
/// Recognises the placeholder values de-identification tools write in place of an identifier ("ANONYMOUS",
/// "REMOVED", "XXXX", 19000101; a run of one character counts from three on, so that "F" or "M" does not): such a value satisfies a D or Z action.
/// </summary>
internal static class DummyValues
{
    private static readonly byte[][] Words =
    [
        "ANONYMOUS"u8.ToArray(), "ANONYMISED"u8.ToArray(), "ANONYMIZED"u8.ToArray(), "ANON"u8.ToArray(),
        "REMOVED"u8.ToArray(), "DEIDENTIFIED"u8.ToArray(), "DE-IDENTIFIED"u8.ToArray(), "REDACTED"u8.ToArray(),
        "PSEUDONYMISED"u8.ToArray(), "PSEUDONYMIZED"u8.ToArray(), "UNKNOWN"u8.ToArray(), "NONE"u8.ToArray(),
        "N/A"u8.ToArray(), "NA"u8.ToArray(), "DUMMY"u8.ToArray(), "19000101"u8.ToArray(), "00010101"u8.ToArray(),
    ];

    /// <summary>True when <paramref name="value"/> (trimmed, person-name carets ignored) is a placeholder.</summary>
    public static bool IsDummy(ReadOnlySpan<byte> value)
    {
        var trimmed = value.Trim("^ "u8);
        if (trimmed.IsEmpty) return true;
        if (trimmed.Length >= 3 && trimmed.IndexOfAnyExcept(trimmed[0]) < 0) return true;
        foreach (var word in Words)
        {
            if (Ascii.EqualsIgnoreCase(trimmed, word)) return true;
        }

        return false;
    }

    /// <summary>True when <paramref name="value"/> equals <paramref name="text"/> (ASCII, exact).</summary>
    public static bool EqualsText(ReadOnlySpan<byte> value, string? text) =>
        text is not null && text.Length == value.Length && Ascii.Equals(value, text);
}
