using System.Buffers;

namespace Nccid.Batch.Dicom;

/// <summary>
/// The parsed header of one file: an index of where each element's value lies in the header bytes, plus the
/// facts of the encoding. Values are decoded only when asked for. One instance is reused for file after file
/// by one worker, so parsing allocates nothing per element once the arrays have grown to fit.
/// </summary>
public sealed partial class DicomHeader : IDisposable
{
    private DicomElement[] _elements = new DicomElement[512];
    private int _count;
    private int[] _topLevel = new int[256];
    private int _topLevelCount;
    private bool _topLevelSorted;
    private byte[]? _inflated;
    private DicomCharacterSet? _characterSet;

    /// <summary>The parser's stack of open sequences and items, kept here so that parsing reuses it.</summary>
    internal Frame[] Frames { get; set; } = new Frame[16];

    /// <summary>The bytes the element offsets refer to (the file's first bytes, or the inflated data set).</summary>
    public ReadOnlyMemory<byte> Data { get; private set; }

    /// <summary>The length of the whole file in bytes.</summary>
    public long FileLength { get; private set; }

    /// <summary>True when the file starts with the 128-byte preamble and "DICM".</summary>
    public bool HasPreamble { get; internal set; }

    /// <summary>True when a file meta information group (0002,xxxx) was read.</summary>
    public bool HasFileMeta { get; internal set; }

    /// <summary>Offset of the first data set element.</summary>
    public int DataSetOffset { get; internal set; }

    /// <summary>The Transfer Syntax UID stated in the file meta group, or null when there is none.</summary>
    public string? DeclaredTransferSyntaxUid { get; internal set; }

    /// <summary>The encoding the data set was actually read with (stated, or detected when missing or wrong).</summary>
    public TransferSyntax Syntax { get; internal set; } = TransferSyntax.ExplicitVRLittleEndian;

    /// <summary>The element at which reading stopped (normally Pixel Data), or null when the data set ended first.</summary>
    public PixelDataInfo? PixelData { get; internal set; }

    /// <summary>The error, when <see cref="DicomParser.Parse"/> returned <see cref="DicomParseStatus.Error"/>.</summary>
    public DicomReadError Error { get; internal set; }

    /// <summary>When more data is needed: the minimum number of leading bytes to supply.</summary>
    public long RequiredLength { get; internal set; }

    /// <summary>How many bytes of the header were consumed by the parse.</summary>
    public long HeaderLength { get; internal set; }

    /// <summary>Number of elements, items included, at every depth (file meta elements included).</summary>
    public int Count => _count;

    /// <summary>Number of top-level data set elements before the stop element (file meta excluded).</summary>
    public int TopLevelCount => _topLevelCount;

    /// <summary>Number of private elements (creators included) at every depth.</summary>
    public int PrivateElementCount { get; internal set; }

    /// <summary>The element record at <paramref name="index"/>.</summary>
    public ref readonly DicomElement this[int index] => ref _elements[index];

    /// <summary>The index of the <paramref name="n"/>-th top-level data set element, in file order.</summary>
    public int TopLevelIndex(int n) => _topLevel[n];

    /// <summary>The Specific Character Set of the data set (default repertoire when absent).</summary>
    public DicomCharacterSet CharacterSet
    {
        get
        {
            if (_characterSet is null)
            {
                var index = FindTopLevel(0x00080005);
                _characterSet = index < 0 ? DicomCharacterSet.Default : DicomCharacterSet.FromValue(TrimmedValue(index));
            }

            return _characterSet;
        }
    }

    internal void Reset(ReadOnlyMemory<byte> data, long fileLength)
    {
        Data = data;
        FileLength = fileLength;
        _count = 0;
        _topLevelCount = 0;
        _topLevelSorted = true;
        _characterSet = null;
        HasPreamble = false;
        HasFileMeta = false;
        DataSetOffset = 0;
        DeclaredTransferSyntaxUid = null;
        Syntax = TransferSyntax.ExplicitVRLittleEndian;
        PixelData = null;
        Error = default;
        RequiredLength = 0;
        HeaderLength = 0;
        PrivateElementCount = 0;
    }

    /// <summary>Returns to the pool the buffer a deflated data set was inflated into, keeping the index arrays.</summary>
    public void ReleaseBuffers()
    {
        if (_inflated is not null)
        {
            ArrayPool<byte>.Shared.Return(_inflated);
            _inflated = null;
        }

        Data = default;
    }

    /// <inheritdoc />
    public void Dispose() => ReleaseBuffers();

    internal byte[] RentInflateBuffer(int minimumLength)
    {
        if (_inflated is not null && _inflated.Length >= minimumLength) return _inflated;
        var next = ArrayPool<byte>.Shared.Rent(minimumLength);
        if (_inflated is not null)
        {
            ArrayPool<byte>.Shared.Return(_inflated);
        }

        _inflated = next;
        return next;
    }

    internal byte[] GrowInflateBuffer(int minimumLength, int preserve)
    {
        var next = ArrayPool<byte>.Shared.Rent(minimumLength);
        if (_inflated is not null)
        {
            _inflated.AsSpan(0, preserve).CopyTo(next);
            ArrayPool<byte>.Shared.Return(_inflated);
        }

        _inflated = next;
        return next;
    }

    internal void SetData(ReadOnlyMemory<byte> data) => Data = data;

    internal int Add(in DicomElement element, bool topLevel)
    {
        if (_count == _elements.Length) Array.Resize(ref _elements, _count * 2);
        var index = _count++;
        _elements[index] = element;
        if (topLevel)
        {
            if (_topLevelCount == _topLevel.Length) Array.Resize(ref _topLevel, _topLevelCount * 2);
            if (_topLevelCount > 0 && _elements[_topLevel[_topLevelCount - 1]].Tag >= element.Tag) _topLevelSorted = false;
            _topLevel[_topLevelCount++] = index;
        }

        return index;
    }

    /// <summary>
    /// The Specific Character Set that applies to element <paramref name="index"/>: that of the innermost sequence item
    /// around it that has its own (PS3.5 C.12.1.1.2), else the data set's.
    /// </summary>
    public DicomCharacterSet CharacterSetAt(int index)
    {
        for (var parent = _elements[index].Parent; parent >= 0; parent = _elements[parent].Parent)
        {
            if (_elements[parent].IsItem && OwnCharacterSet(parent) is { } own) return own;
        }

        return CharacterSet;
    }

    /// <summary>The Specific Character Set sequence item <paramref name="item"/> declares itself, or null.</summary>
    internal DicomCharacterSet? OwnCharacterSet(int item)
    {
        const uint specificCharacterSet = 0x00080005;
        var depth = _elements[item].Depth;
        for (var j = item + 1; j < _count && _elements[j].Depth > depth; j++)
        {
            ref readonly var child = ref _elements[j];
            if (child.Parent != item) continue;
            if (child.Tag == specificCharacterSet) return DicomCharacterSet.FromValue(TrimmedValue(j));
            if (child.Tag > specificCharacterSet) break; // The elements of an item are in ascending tag order.
        }

        return null;
    }

    internal void SetVR(int index, DicomVR vr)
    {
        ref var e = ref _elements[index];
        e = e with { VR = vr };
    }

    internal void UpdateLength(int index, uint length)
    {
        ref var e = ref _elements[index];
        e = e with { Length = length };
    }

    /// <summary>Finds a top-level data set element by tag; returns its index or -1.</summary>
    public int FindTopLevel(uint tag)
    {
        if (_topLevelSorted)
        {
            int lo = 0, hi = _topLevelCount - 1;
            while (lo <= hi)
            {
                var mid = (lo + hi) >>> 1;
                var t = _elements[_topLevel[mid]].Tag;
                if (t == tag) return _topLevel[mid];
                if (t < tag) lo = mid + 1;
                else hi = mid - 1;
            }

            return -1;
        }

        for (var i = 0; i < _topLevelCount; i++)
        {
            if (_elements[_topLevel[i]].Tag == tag) return _topLevel[i];
        }

        return -1;
    }

    /// <summary>Finds a file meta element (0002,xxxx) by tag; returns its index or -1.</summary>
    public int FindFileMeta(uint tag)
    {
        for (var i = 0; i < _count; i++)
        {
            ref readonly var e = ref _elements[i];
            if ((e.Flags & DicomElementFlags.FileMeta) == 0) break;
            if (e.Tag == tag) return i;
        }

        return -1;
    }
}
