using System.Buffers;
using System.Collections.Frozen;
using System.Text;

namespace Nccid.Batch.Dicom;

/// <summary>
/// The standard's UID registry (PS3.6 Annex A): name, type and retirement of transfer syntaxes, SOP classes
/// and well-known instances. The table is generated from pydicom's copy by scripts/generate-dictionary.py.
/// </summary>
public static partial class DicomUidDictionary
{
    /// <summary>A UID is at most 64 characters (PS3.5 Section 9.1).</summary>
    private const int MaxUidLength = 64;

    private const string TransferSyntaxType = "Transfer Syntax";

    /// <summary>The number of registered UIDs.</summary>
    public static int Count => Entries.Length;

    /// <summary>Finds a registered UID.</summary>
    public static bool TryGet(string uid, out DicomUidEntry entry)
    {
        ArgumentNullException.ThrowIfNull(uid);
        return ByUid.Values.TryGetValue(uid, out entry);
    }

    /// <summary>
    /// Finds a registered UID from the bytes of a UI value whose trailing NUL or space padding is already
    /// trimmed, without allocating a string.
    /// </summary>
    public static bool TryGet(ReadOnlySpan<byte> asciiUid, out DicomUidEntry entry)
    {
        if (asciiUid.Length > MaxUidLength)
        {
            entry = default;
            return false;
        }

        Span<char> chars = stackalloc char[MaxUidLength];
        if (Ascii.ToUtf16(asciiUid, chars, out var written) != OperationStatus.Done)
        {
            entry = default;
            return false;
        }

        return ByUid.SpanLookup.TryGetValue(chars[..written], out entry);
    }

    /// <summary>True when <paramref name="uid"/> is a registered transfer syntax, retired or not.</summary>
    public static bool IsTransferSyntax(string uid) =>
        TryGet(uid, out var entry) && string.Equals(entry.Type, TransferSyntaxType, StringComparison.Ordinal);

    /// <summary>UID to entry, built on first use.</summary>
    private static class ByUid
    {
        internal static readonly FrozenDictionary<string, DicomUidEntry> Values =
            Entries.ToFrozenDictionary(static e => e.Uid, StringComparer.Ordinal);

        internal static readonly FrozenDictionary<string, DicomUidEntry>.AlternateLookup<ReadOnlySpan<char>> SpanLookup =
            Values.GetAlternateLookup<ReadOnlySpan<char>>();
    }
}
