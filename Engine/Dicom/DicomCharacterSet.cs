using System.Collections.Concurrent;
using System.Text;

namespace Nccid.Batch.Dicom;

/// <summary>
/// Decodes text values with the character sets named by Specific Character Set (0008,0005), PS3.5 §6.1
/// and Annexes H to K: the default repertoire, the ISO 8859 parts, Thai, JIS X 0201, UTF-8, GB18030,
/// GBK, and ISO 2022 code extensions (Japanese, Korean, Chinese and the single-byte sets) switched by
/// escape sequences inside a value. Decoding is lenient and never throws: undecodable bytes become
/// U+FFFD, and bytes above 0x7F under the default repertoire are read as Latin-1 rather than lost.
/// </summary>
public sealed class DicomCharacterSet
{
    // Millions of files share a handful of (0008,0005) values; the cap keeps a hostile corpus from
    // growing the cache without bound (values past it are parsed each time instead).
    private const int CacheCapacity = 256;
    private static readonly ConcurrentDictionary<byte[], DicomCharacterSet> Cache = new(ByteSequenceComparer.Instance);
    private static readonly ConcurrentDictionary<byte[], DicomCharacterSet>.AlternateLookup<ReadOnlySpan<byte>> CacheBySpan =
        Cache.GetAlternateLookup<ReadOnlySpan<byte>>();

    private static int cacheCount;

    private readonly DecodeMode mode;
    private readonly G1CodeElement g1;
    private readonly Encoding? wholeValueEncoding;

    private DicomCharacterSet(
        IReadOnlyList<string> terms, IReadOnlyList<string> unknownTerms, DecodeMode mode, G1CodeElement g1, Encoding? wholeValueEncoding)
    {
        Terms = terms;
        UnknownTerms = unknownTerms;
        this.mode = mode;
        this.g1 = g1;
        this.wholeValueEncoding = wholeValueEncoding;
    }

    private enum DecodeMode : byte
    {
        Latin1,
        SingleByteTable,
        WholeValueEncoding,
        Iso2022,
    }

    /// <summary>The default repertoire, ISO_IR 6, used when (0008,0005) is absent or empty.</summary>
    public static DicomCharacterSet Default { get; } =
        new([], [], DecodeMode.Latin1, G1CodeElement.Latin1, null);

    /// <summary>The terms of (0008,0005) as given, trimmed of padding; empty for <see cref="Default"/>.</summary>
    public IReadOnlyList<string> Terms { get; }

    /// <summary>Terms not recognised, so that callers can report them; they are decoded with the default repertoire.</summary>
    public IReadOnlyList<string> UnknownTerms { get; }

    /// <summary>
    /// True when every byte is one character and bytes below 0x80 are ASCII, so a caller may search
    /// the raw bytes for delimiters or test for ASCII-only values before decoding.
    /// </summary>
    public bool IsSingleByteAsciiCompatible => mode is DecodeMode.Latin1 or DecodeMode.SingleByteTable;

    /// <summary>
    /// The character set for the raw bytes of (0008,0005): terms separated by '\', padded with spaces
    /// or NULs, the first possibly empty (the default repertoire). Instances are cached per distinct value.
    /// </summary>
    public static DicomCharacterSet FromValue(ReadOnlySpan<byte> rawValue)
    {
        var trimmed = TrimPadding(rawValue);
        if (trimmed.IsEmpty)
        {
            return Default;
        }

        if (CacheBySpan.TryGetValue(trimmed, out var cached))
        {
            return cached;
        }

        var created = FromTerms(SplitTerms(trimmed));
        if (Volatile.Read(ref cacheCount) < CacheCapacity && CacheBySpan.TryAdd(trimmed, created))
        {
            Interlocked.Increment(ref cacheCount);
        }

        return created;
    }

    /// <summary>The character set for already split terms of (0008,0005); the first may be empty.</summary>
    public static DicomCharacterSet FromTerms(IReadOnlyList<string> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var trimmed = new string[terms.Count];
        var unknown = new List<string>();
        var resolved = new CharacterSetTerm?[terms.Count];
        var extensionTerms = 0;
        for (var i = 0; i < terms.Count; i++)
        {
            trimmed[i] = (terms[i] ?? string.Empty).Trim(' ', '\0');
            if (CharacterSetTerm.TryFind(trimmed[i], out var term))
            {
                resolved[i] = term;
            }
            else
            {
                unknown.Add(trimmed[i]);
            }

            if (i > 0 && trimmed[i].Length > 0)
            {
                extensionTerms++;
            }
        }

        if (trimmed.Length == 0 || (trimmed[0].Length == 0 && extensionTerms == 0))
        {
            return Default;
        }

        var first = resolved[0];
        if (first is { IsStandAlone: true })
        {
            // UTF-8, GB18030 and GBK allow no code extensions; further terms are ignored (PS3.5 §6.1.2.5.4 d).
            return new DicomCharacterSet(trimmed, unknown, DecodeMode.WholeValueEncoding, G1CodeElement.Latin1, first.WholeValueEncoding);
        }

        var initialG1 = first?.G1 ?? G1CodeElement.Latin1;
        if (extensionTerms > 0 || first is { UsesCodeExtensions: true })
        {
            return new DicomCharacterSet(trimmed, unknown, DecodeMode.Iso2022, initialG1, null);
        }

        if (first?.WholeValueEncoding is { } encoding)
        {
            return new DicomCharacterSet(trimmed, unknown, DecodeMode.WholeValueEncoding, initialG1, encoding);
        }

        var singleByteMode = initialG1 == G1CodeElement.Latin1 ? DecodeMode.Latin1 : DecodeMode.SingleByteTable;
        return new DicomCharacterSet(trimmed, unknown, singleByteMode, initialG1, null);
    }

    /// <summary>
    /// Decodes one element value, already trimmed of trailing padding, as text of <paramref name="vr"/>.
    /// A multi-valued value is decoded whole: split the result on '\', not the bytes, since a two-byte
    /// character may contain 0x5C.
    /// </summary>
    public string Decode(ReadOnlySpan<byte> value, DicomVR vr)
    {
        switch (mode)
        {
            case DecodeMode.Latin1:
                return Encoding.Latin1.GetString(value);
            case DecodeMode.SingleByteTable:
                return DecodeSingleByte(value, g1.Table!);
            case DecodeMode.WholeValueEncoding:
                return wholeValueEncoding!.GetString(value);
            default:
                return Iso2022Decoder.Decode(value, g1, DelimitersOf(vr));
        }
    }

    private static ValueDelimiters DelimitersOf(DicomVR vr)
    {
        if (vr == DicomVR.PN)
        {
            return ValueDelimiters.Backslash | ValueDelimiters.PersonName;
        }

        return DicomVRInfo.IsSingleValuedText(vr) ? ValueDelimiters.None : ValueDelimiters.Backslash;
    }

    private static string DecodeSingleByte(ReadOnlySpan<byte> value, string upperHalf)
    {
        if (Ascii.IsValid(value))
        {
            return Encoding.Latin1.GetString(value);
        }

        var output = new CharBuffer(stackalloc char[256]);
        try
        {
            var chars = output.GetSpan(value.Length);
            for (var i = 0; i < value.Length; i++)
            {
                var b = value[i];
                chars[i] = b < 0x80 ? (char)b : upperHalf[b - 0x80];
            }

            output.Advance(value.Length);
            return output.ToString();
        }
        finally
        {
            output.Dispose();
        }
    }

    private static ReadOnlySpan<byte> TrimPadding(ReadOnlySpan<byte> raw)
    {
        var start = 0;
        while (start < raw.Length && raw[start] is (byte)' ' or 0)
        {
            start++;
        }

        var end = raw.Length;
        while (end > start && raw[end - 1] is (byte)' ' or 0)
        {
            end--;
        }

        return raw[start..end];
    }

    private static string[] SplitTerms(ReadOnlySpan<byte> raw)
    {
        var count = raw.Count((byte)'\\') + 1;
        var terms = new string[count];
        var index = 0;
        foreach (var range in raw.Split((byte)'\\'))
        {
            terms[index++] = Encoding.Latin1.GetString(raw[range]);
        }

        return terms;
    }
}
