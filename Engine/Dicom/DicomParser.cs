using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;

namespace Nccid.Batch.Dicom;

/// <summary>
/// Parses a DICOM Part 10 header (or a raw data set) from the bytes supplied so far, in the manner of
/// <c>Utf8JsonReader</c>: spans in, an element index out, every length checked against what remains, errors as
/// values with their byte offset. It never reads past the stop tag, so pixel data is never touched.
/// </summary>
/// <remarks>
/// Parsing restarts from the beginning when more data arrives: headers longer than the first read are rare
/// (about 1%), and a restart keeps the parser free of resumable state.
/// </remarks>
public static class DicomParser
{
    internal const uint ItemTag = 0xFFFEE000;
    internal const uint ItemDelimitationTag = 0xFFFEE00D;
    internal const uint SequenceDelimitationTag = 0xFFFEE0DD;
    private const uint TransferSyntaxUidTag = 0x00020010;

    /// <summary>
    /// Parses <paramref name="data"/>, the first bytes of a file of <paramref name="fileLength"/> bytes, into
    /// <paramref name="header"/>. Returns <see cref="DicomParseStatus.NeedMoreData"/> when the header continues past
    /// the bytes supplied; the caller then supplies at least <see cref="DicomHeader.RequiredLength"/> bytes and calls again.
    /// </summary>
    public static DicomParseStatus Parse(ReadOnlyMemory<byte> data, long fileLength, DicomHeader header, DicomReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(options);
        var status = ParseHeader(data, fileLength, header, options);
        if (status == DicomParseStatus.Complete) ResolveUSOrSS(header);
        return status;
    }

    /// <summary>
    /// In implicit VR the dictionary's "US or SS" (pixel values, padding) is SS when Pixel Representation (0028,0103)
    /// is 1, signed pixels (PS3.5 Annex A.1, PS3.6 section 6); the parser gave them US. LUT descriptors stay US: their
    /// first value (entries, 65,536 as 0) and third (bits) are unsigned whatever the pixels are (PS3.3 C.11.1.1.1,
    /// C.7.6.3.1.5), and only their second follows Pixel Representation.
    /// </summary>
    private static void ResolveUSOrSS(DicomHeader header)
    {
        const uint pixelRepresentation = 0x00280103;
        if (!header.TryGetInt32(pixelRepresentation, out var signed) || signed != 1) return;
        for (var i = 0; i < header.Count; i++)
        {
            ref readonly var e = ref header[i];
            if (e.VR == DicomVR.US && (e.Flags & DicomElementFlags.ImplicitVR) != 0 && DicomDictionary.IsUSOrSS(e.Tag) && !IsLutDescriptor(e.Tag))
            {
                header.SetVR(i, DicomVR.SS);
            }
        }
    }

    /// <summary>(0028,3002) LUT Descriptor, the palette descriptors (0028,1101-1103) and their retired large forms (0028,1111-1113).</summary>
    private static bool IsLutDescriptor(uint tag) => tag is 0x00283002 or (>= 0x00281101 and <= 0x00281103) or (>= 0x00281111 and <= 0x00281113);

    private static DicomParseStatus ParseHeader(ReadOnlyMemory<byte> data, long fileLength, DicomHeader header, DicomReadOptions options)
    {
        if (fileLength < data.Length) fileLength = data.Length;
        header.Reset(data, fileLength);
        var span = data.Span;

        if (fileLength < 132 || span.Length >= 132)
        {
            // Known either way: a file shorter than a preamble cannot have one.
        }
        else
        {
            return NeedMore(header, 132);
        }

        int pos;
        if (span.Length >= 132 && span.Slice(128, 4).SequenceEqual("DICM"u8))
        {
            header.HasPreamble = true;
            pos = 132;
        }
        else if (span.Length >= 4 && span[..4].SequenceEqual("DICM"u8))
        {
            pos = 4;
        }
        else if (span.Length >= 8 && BinaryPrimitives.ReadUInt16LittleEndian(span) == 0x0002)
        {
            // A meta group with neither preamble nor prefix (some older writers): group 0002 is only ever the file
            // meta, so it is read as one, and its Transfer Syntax decides how the data set after it is read.
            pos = 0;
        }
        else
        {
            pos = -1;
        }

        int syntaxOffset = 0, syntaxLength = 0;
        if (pos >= 0)
        {
            var status = ParseFileMeta(span, fileLength, ref pos, header, options, out syntaxOffset, out syntaxLength);
            if (status != DicomParseStatus.Complete) return status;
        }
        else
        {
            pos = 0;
        }

        header.DataSetOffset = pos;
        TransferSyntax? syntax = null;
        if (syntaxLength > 0)
        {
            syntax = TransferSyntax.FromUid(span.Slice(syntaxOffset, syntaxLength));
            header.DeclaredTransferSyntaxUid = syntax.Uid;
        }

        if (syntax is { Deflated: true })
        {
            return ParseDeflated(data, fileLength, pos, header, options, syntax);
        }

        if (fileLength == pos)
        {
            // A meta group with no data set: an empty data set, as pydicom and dcmtk read it.
            if (!header.HasFileMeta) return Fail(header, DicomErrorKind.NotDicom, 0, "The file is empty.");
            header.Syntax = syntax ?? TransferSyntax.ExplicitVRLittleEndian;
            header.HeaderLength = pos;
            return DicomParseStatus.Complete;
        }

        if (span.Length < pos + 8 && fileLength > span.Length) return NeedMore(header, pos + 8);
        if (!DetectEncoding(span, pos, syntax, header.HasFileMeta, out var implicitVR, out var bigEndian))
        {
            return Fail(header, DicomErrorKind.NotDicom, pos, header.HasFileMeta
                ? "The data set after the file meta group does not start with a DICOM element."
                : "No DICM prefix, and the first bytes are not a DICOM data set.");
        }

        header.Syntax = syntax is { Known: true } && syntax.ExplicitVR == !implicitVR && syntax.BigEndian == bigEndian
            ? syntax
            : Detected(syntax, implicitVR, bigEndian);
        return ParseDataSet(span, fileLength, pos, implicitVR, bigEndian, header, options);
    }

    /// <summary>
    /// Whether an explicit-VR element has the reserved bytes and a 32-bit length. An unknown code on a known tag is
    /// replaced by the tag's dictionary VR (some writers put a wrong code on a short element); on any other tag it is
    /// read as every VR added to the standard since UN is, reserved bytes and a 32-bit length (PS3.5 §7.1.2), when
    /// the reserved bytes are zero.
    /// </summary>
    private static bool HasLongLength(ref DicomVR vr, uint tag, byte reserved0, byte reserved1)
    {
        if (DicomVRInfo.IsKnown(vr)) return DicomVRInfo.HasLongLength(vr);
        var known = DicomDictionary.LookupVR(tag);
        if (known == DicomVR.None) return reserved0 == 0 && reserved1 == 0;
        vr = known;
        return DicomVRInfo.HasLongLength(known);
    }

    private static TransferSyntax Detected(TransferSyntax? declared, bool implicitVR, bool bigEndian)
    {
        if (declared is { Known: false } && !implicitVR && !bigEndian) return declared;
        var baseline = implicitVR ? TransferSyntax.ImplicitVRLittleEndian
            : bigEndian ? TransferSyntax.ExplicitVRBigEndian : TransferSyntax.ExplicitVRLittleEndian;
        return declared is null ? baseline : baseline with { Uid = declared.Uid, Encapsulated = declared.Encapsulated, Known = false };
    }

    private static DicomParseStatus ParseFileMeta(
        ReadOnlySpan<byte> span, long fileLength, ref int pos, DicomHeader header, DicomReadOptions options,
        out int syntaxOffset, out int syntaxLength)
    {
        syntaxOffset = 0;
        syntaxLength = 0;
        while (true)
        {
            if (pos + 8 > span.Length)
            {
                if (fileLength > span.Length) return NeedMore(header, pos + 8);
                if (pos == span.Length) break;
                return Fail(header, DicomErrorKind.Truncated, pos, "The file ends inside the file meta group.");
            }

            var group = BinaryPrimitives.ReadUInt16LittleEndian(span[pos..]);
            if (group != 0x0002) break;
            var tag = ReadTag(span, pos, false);
            DicomVR vr;
            int headerSize;
            long length;
            var flags = DicomElementFlags.FileMeta;
            if (IsVRBytes(span[pos + 4], span[pos + 5]))
            {
                vr = DicomVRInfo.FromBytes(span[pos + 4], span[pos + 5]);
                if (HasLongLength(ref vr, tag, span[pos + 6], span[pos + 7]))
                {
                    if (pos + 12 > span.Length)
                    {
                        if (fileLength > span.Length) return NeedMore(header, pos + 12);
                        return Fail(header, DicomErrorKind.Truncated, pos, "The file ends inside a file meta element.");
                    }

                    length = BinaryPrimitives.ReadUInt32LittleEndian(span[(pos + 8)..]);
                    headerSize = 12;
                }
                else
                {
                    length = BinaryPrimitives.ReadUInt16LittleEndian(span[(pos + 6)..]);
                    headerSize = 8;
                }
            }
            else
            {
                // Some writers put the meta group in implicit VR; read it as such rather than give up.
                vr = DicomDictionary.LookupVR(tag);
                length = BinaryPrimitives.ReadUInt32LittleEndian(span[(pos + 4)..]);
                headerSize = 8;
                flags |= DicomElementFlags.ImplicitVR;
            }

            if (length == DicomElement.UndefinedLength)
            {
                return Fail(header, DicomErrorKind.InvalidFileMeta, pos, Describe(tag) + " in the file meta group has an undefined length.");
            }

            var end = pos + headerSize + length;
            if (end > fileLength)
            {
                return Fail(header, DicomErrorKind.InvalidLength, pos,
                    Describe(tag) + " declares " + length.ToString(CultureInfo.InvariantCulture) + " bytes, past the end of the file.");
            }

            if (end > options.MaxHeaderBytes) return TooLarge(header, pos, options);
            if (end > span.Length) return NeedMore(header, end);
            if (header.Count >= options.MaxElements) return TooManyElements(header, pos, options);
            header.Add(new DicomElement(tag, vr, flags, 0, -1, pos + headerSize, (uint)length), topLevel: false);
            header.HasFileMeta = true;
            if (tag == TransferSyntaxUidTag)
            {
                var raw = span.Slice(pos + headerSize, (int)length);
                var trimmed = TrimUid(raw);
                syntaxLength = trimmed.Length;
                syntaxOffset = pos + headerSize + (trimmed.Length == 0 ? 0 : raw.IndexOf(trimmed));
            }

            pos = (int)end;
        }

        return DicomParseStatus.Complete;
    }

    /// <summary>
    /// Decides the data set's encoding from its first element, as pydicom and dcmtk do: trusts the declared
    /// syntax unless the bytes say otherwise (a common fault of writers), and guesses when nothing was declared.
    /// </summary>
    private static bool DetectEncoding(ReadOnlySpan<byte> span, int pos, TransferSyntax? syntax, bool hasMeta, out bool implicitVR, out bool bigEndian)
    {
        implicitVR = syntax is { Known: true, ExplicitVR: false };
        bigEndian = syntax is { Known: true, BigEndian: true };
        if (pos + 8 > span.Length) return span.Length - pos >= 0 && hasMeta;

        var groupLE = BinaryPrimitives.ReadUInt16LittleEndian(span[pos..]);
        var groupBE = BinaryPrimitives.ReadUInt16BigEndian(span[pos..]);
        var vrLooksExplicit = IsKnownVRBytes(span[pos + 4], span[pos + 5]);
        if (syntax is not { Known: true })
        {
            if (groupLE <= 0x00FF && groupLE != 0) bigEndian = false;
            else if (groupBE <= 0x00FF && groupBE != 0) bigEndian = true;
            else if (groupLE == 0 && groupBE == 0) bigEndian = false;
            else if (!hasMeta) return false;
            implicitVR = !vrLooksExplicit;
            if (!hasMeta)
            {
                // A raw data set must at least start with a plausible element: an even group and, when implicit,
                // a length that fits in the file.
                var group = bigEndian ? groupBE : groupLE;
                if ((group & 1) != 0) return false;
                if (implicitVR)
                {
                    var length = bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(span[(pos + 4)..]) : BinaryPrimitives.ReadUInt32LittleEndian(span[(pos + 4)..]);
                    if (length != DicomElement.UndefinedLength && length > 0x00FFFFFF) return false;
                }
            }

            return true;
        }

        if (!implicitVR && !vrLooksExplicit) implicitVR = true;
        else if (implicitVR && vrLooksExplicit) implicitVR = false;
        return true;
    }

    private static DicomParseStatus ParseDataSet(
        ReadOnlySpan<byte> span, long totalLength, int start, bool implicitVR, bool bigEndian, DicomHeader header, DicomReadOptions options)
    {
        var frames = header.Frames;
        var depth = 0;
        var pos = start;
        var available = span.Length;

        while (true)
        {
            // Close defined-length containers that end here.
            while (depth > 0 && frames[depth - 1].End >= 0 && pos >= frames[depth - 1].End)
            {
                if (pos > frames[depth - 1].End)
                {
                    return Fail(header, DicomErrorKind.InvalidLength, frames[depth - 1].Start,
                        "An element runs past the end of the " + (frames[depth - 1].Kind == FrameKind.Item ? "item" : "sequence")
                        + " that contains it.");
                }

                depth--;
            }

            if (pos + 8 > available)
            {
                if (totalLength > available) return NeedMore(header, pos + 8, options);
                if (pos == available)
                {
                    if (depth > 0)
                    {
                        return Fail(header, DicomErrorKind.Truncated, frames[0].Start,
                            "The file ends inside a sequence that was never closed.");
                    }

                    header.HeaderLength = pos;
                    return DicomParseStatus.Complete;
                }

                return Fail(header, DicomErrorKind.Truncated, pos, "The file ends inside an element header.");
            }

            var inFrame = depth > 0;
            var frameImplicit = inFrame ? frames[depth - 1].Implicit : implicitVR;
            var frameBig = inFrame ? frames[depth - 1].BigEndian : bigEndian;
            var tag = ReadTag(span, pos, frameBig);

            if (inFrame && frames[depth - 1].Kind != FrameKind.Item)
            {
                // Inside a sequence only items and the sequence delimiter may appear.
                ref var frame = ref frames[depth - 1];
                var itemLength = ReadUInt32(span, pos + 4, frameBig);
                if (tag == SequenceDelimitationTag)
                {
                    pos += 8;
                    if (frame.End < 0) depth--;
                    continue;
                }

                if (tag == ItemDelimitationTag)
                {
                    pos += 8; // A stray delimiter; dcmtk and pydicom pass over it too.
                    continue;
                }

                if (tag != ItemTag)
                {
                    return Fail(header, DicomErrorKind.InvalidStructure, pos,
                        "Expected an item (FFFE,E000) in a sequence, found " + Describe(tag) + ".");
                }

                if (frame.Kind == FrameKind.Fragments)
                {
                    if (itemLength == DicomElement.UndefinedLength)
                    {
                        return Fail(header, DicomErrorKind.InvalidLength, pos, "A pixel data fragment has an undefined length.");
                    }

                    var fragmentEnd = pos + 8L + itemLength;
                    if (fragmentEnd > totalLength) return Fail(header, DicomErrorKind.Truncated, pos, "A pixel data fragment runs past the end of the file.");
                    if (fragmentEnd > options.MaxHeaderBytes) return TooLarge(header, pos, options);
                    if (fragmentEnd > available) return NeedMore(header, fragmentEnd, options);
                    pos = (int)fragmentEnd;
                    continue;
                }

                if (depth >= options.MaxDepth) return DepthExceeded(header, pos, options);
                long itemEnd = -1;
                if (itemLength != DicomElement.UndefinedLength)
                {
                    // PS3.5 §7.5.1: an item lies within its sequence. Writers that drop elements from an item without
                    // fixing its length leave it running past its sequence or the file; dcmtk and pydicom then end the
                    // item there, and so does this reader. Each element inside is still checked against that end.
                    itemEnd = pos + 8L + itemLength;
                    var limit = frame.End >= 0 ? Math.Min(frame.End, totalLength) : totalLength;
                    if (itemEnd > limit) itemEnd = limit;
                }

                if (header.Count >= options.MaxElements) return TooManyElements(header, pos, options);
                var itemRecord = header.Add(new DicomElement(ItemTag, DicomVR.None, frameBig ? DicomElementFlags.BigEndian : DicomElementFlags.None,
                    depth, frame.Record, pos + 8, itemLength), topLevel: false);
                pos += 8;
                var contentImplicit = frame.Implicit;
                if (pos + 6 <= available && (itemEnd < 0 || itemEnd >= pos + 6) && !frame.Implicit)
                {
                    // An explicit item whose content is implicit: seen in the wild, read as pydicom does.
                    contentImplicit = !IsKnownVRBytes(span[pos + 4], span[pos + 5]) && ReadTag(span, pos, frameBig) != ItemDelimitationTag;
                }

                Push(header, ref frames, ref depth, new Frame { Record = itemRecord, End = itemEnd, Kind = FrameKind.Item, Implicit = contentImplicit, BigEndian = frameBig, Start = pos - 8 });
                continue;
            }

            if (tag == ItemDelimitationTag)
            {
                pos += 8;
                if (inFrame && frames[depth - 1].End < 0) depth--;
                continue;
            }

            if (tag == SequenceDelimitationTag)
            {
                // An undefined-length item that was never closed: the sequence delimiter closes both.
                pos += 8;
                if (inFrame && frames[depth - 1].End < 0)
                {
                    depth--;
                    if (depth > 0 && frames[depth - 1].Kind == FrameKind.Sequence && frames[depth - 1].End < 0) depth--;
                }

                continue;
            }

            if (tag == ItemTag)
            {
                return Fail(header, DicomErrorKind.InvalidStructure, pos, "An item (FFFE,E000) appears outside a sequence.");
            }

            // A data element.
            DicomVR vr;
            int headerSize;
            uint length;
            var flags = frameBig ? DicomElementFlags.BigEndian : DicomElementFlags.None;
            if (frameImplicit)
            {
                vr = DicomDictionary.LookupVR(tag);
                length = ReadUInt32(span, pos + 4, frameBig);
                headerSize = 8;
                flags |= DicomElementFlags.ImplicitVR;
            }
            else
            {
                vr = DicomVRInfo.FromBytes(span[pos + 4], span[pos + 5]);
                if (HasLongLength(ref vr, tag, span[pos + 6], span[pos + 7]))
                {
                    if (pos + 12 > available)
                    {
                        if (totalLength > available) return NeedMore(header, pos + 12, options);
                        return Fail(header, DicomErrorKind.Truncated, pos, "The file ends inside an element header.");
                    }

                    length = ReadUInt32(span, pos + 8, frameBig);
                    headerSize = 12;
                }
                else
                {
                    // Known short VRs, and unknown codes whose reserved bytes are not zero.
                    length = frameBig ? BinaryPrimitives.ReadUInt16BigEndian(span[(pos + 6)..]) : BinaryPrimitives.ReadUInt16LittleEndian(span[(pos + 6)..]);
                    headerSize = 8;
                }
            }

            if (depth == 0 && IsStop(tag, options.StopTag))
            {
                // The stop element's value is not read, but its length is known and checked: a file that ends inside
                // its pixel data is truncated (PS3.5 §7.1.1), whole as its header may be.
                if (length != DicomElement.UndefinedLength && pos + (long)headerSize + length > totalLength)
                {
                    return Fail(header, DicomErrorKind.Truncated, pos,
                        Describe(tag) + " declares " + length.ToString(CultureInfo.InvariantCulture) + " bytes, but the "
                        + (header.Syntax.Deflated ? "data set" : "file") + " ends "
                        + (totalLength - pos - headerSize).ToString(CultureInfo.InvariantCulture) + " bytes into it.");
                }

                var valueOffset = header.Syntax.Deflated ? -1L : pos + headerSize;
                header.PixelData = new PixelDataInfo(tag, vr, length == DicomElement.UndefinedLength ? null : length, valueOffset);
                header.HeaderLength = pos;
                return DicomParseStatus.Complete;
            }

            if (header.Count >= options.MaxElements) return TooManyElements(header, pos, options);
            if ((tag >> 16 & 1) == 1 && tag >> 16 > 7 && tag >> 16 != 0xFFFF) header.PrivateElementCount++;

            var isUN = vr == DicomVR.UN;
            var dictionaryVR = isUN || vr == DicomVR.None ? DicomDictionary.LookupVR(tag) : vr;
            if (isUN && dictionaryVR != DicomVR.None && dictionaryVR != DicomVR.UN)
            {
                // PS3.5 §6.2.2: a UN value is in implicit VR little endian; the dictionary tells what it really is.
                vr = dictionaryVR;
                flags = (flags | DicomElementFlags.RecoveredFromUN | DicomElementFlags.ImplicitVR) & ~DicomElementFlags.BigEndian;
            }

            var parent = inFrame ? frames[depth - 1].Record : -1;
            if (length == DicomElement.UndefinedLength)
            {
                if (depth >= options.MaxDepth) return DepthExceeded(header, pos, options);
                var isPixelLike = vr is DicomVR.OB or DicomVR.OW || (tag == 0x7FE00010);
                if (vr == DicomVR.SQ || isUN || vr == DicomVR.None || (frameImplicit && vr != DicomVR.OB && vr != DicomVR.OW && tag != 0x7FE00010))
                {
                    // Undefined-length UN, and unknown implicit elements, are sequences in implicit VR little endian.
                    var seqImplicit = frameImplicit || isUN || (flags & DicomElementFlags.RecoveredFromUN) != 0;
                    var seqBig = frameBig && !isUN && (flags & DicomElementFlags.RecoveredFromUN) == 0;
                    if (vr != DicomVR.SQ) vr = isUN && dictionaryVR == DicomVR.None ? DicomVR.UN : DicomVR.SQ;
                    flags |= DicomElementFlags.Sequence;
                    if (seqImplicit) flags |= DicomElementFlags.ImplicitVR;
                    if (!seqBig) flags &= ~DicomElementFlags.BigEndian;
                    var record = header.Add(new DicomElement(tag, vr, flags, depth, parent, pos + headerSize, length), topLevel: depth == 0);
                    pos += headerSize;
                    Push(header, ref frames, ref depth, new Frame { Record = record, End = -1, Kind = FrameKind.Sequence, Implicit = seqImplicit, BigEndian = seqBig, Start = pos - headerSize });
                    continue;
                }

                if (isPixelLike)
                {
                    var record = header.Add(new DicomElement(tag, vr, flags | DicomElementFlags.Encapsulated, depth, parent, pos + headerSize, length), topLevel: depth == 0);
                    pos += headerSize;
                    Push(header, ref frames, ref depth, new Frame { Record = record, End = -1, Kind = FrameKind.Fragments, Implicit = frameImplicit, BigEndian = false, Start = pos - headerSize });
                    continue;
                }

                return Fail(header, DicomErrorKind.InvalidLength, pos,
                    Describe(tag) + " (" + DicomVRInfo.ToCode(vr) + ") has an undefined length, which only sequences and pixel data may have.");
            }

            long end = pos + (long)headerSize + length;
            if (end > totalLength)
            {
                return Fail(header, DicomErrorKind.InvalidLength, pos,
                    Describe(tag) + " declares " + length.ToString(CultureInfo.InvariantCulture) + " bytes, past the end of the "
                    + (totalLength == long.MaxValue ? "data" : "file (" + totalLength.ToString(CultureInfo.InvariantCulture) + " bytes)") + ".");
            }

            if (inFrame && frames[depth - 1].End >= 0 && end > frames[depth - 1].End)
            {
                return Fail(header, DicomErrorKind.InvalidLength, pos,
                    Describe(tag) + " declares " + length.ToString(CultureInfo.InvariantCulture) + " bytes, past the end of the item that contains it.");
            }

            if (vr == DicomVR.SQ || ((flags & DicomElementFlags.RecoveredFromUN) != 0 && dictionaryVR == DicomVR.SQ))
            {
                if (depth >= options.MaxDepth) return DepthExceeded(header, pos, options);
                var seqImplicit = frameImplicit || (flags & DicomElementFlags.RecoveredFromUN) != 0;
                flags |= DicomElementFlags.Sequence;
                var record = header.Add(new DicomElement(tag, DicomVR.SQ, flags, depth, parent, pos + headerSize, length), topLevel: depth == 0);
                pos += headerSize;
                if (length > 0)
                {
                    Push(header, ref frames, ref depth, new Frame
                    {
                        Record = record, End = end, Kind = FrameKind.Sequence, Implicit = seqImplicit,
                        BigEndian = (flags & DicomElementFlags.BigEndian) != 0, Start = pos - headerSize,
                    });
                }

                continue;
            }

            if (end > options.MaxHeaderBytes) return TooLarge(header, pos, options);
            if (end > available) return NeedMore(header, end, options);
            header.Add(new DicomElement(tag, vr, flags, depth, parent, pos + headerSize, length), topLevel: depth == 0);
            pos = (int)end;
        }
    }

    private static DicomParseStatus ParseDeflated(ReadOnlyMemory<byte> data, long fileLength, int dataSetOffset, DicomHeader header, DicomReadOptions options, TransferSyntax syntax)
    {
        // A file within the header limit is inflated whole, so pixel data cut short is seen as in any other file. A
        // larger one is inflated from what has been read, and a header that runs past that asks for more (up to the
        // limit), so a large deflated image is not refused for its pixels, which are then not checked for truncation.
        if (data.Length < fileLength && fileLength <= options.MaxHeaderBytes) return NeedMore(header, fileLength, options);
        var whole = data.Length >= fileLength;
        var capacity = Math.Min(options.MaxHeaderBytes, Math.Max(64 << 10, (int)Math.Min(int.MaxValue / 2, data.Length * 4L)));
        var buffer = header.RentInflateBuffer(capacity);
        data.Span[..dataSetOffset].CopyTo(buffer);
        var written = dataSetOffset;
        var ended = false;
        var capped = false;
        try
        {
            using var compressed = AsStream(data[dataSetOffset..]);
            using var inflater = new DeflateStream(compressed, CompressionMode.Decompress);
            while (true)
            {
                if (written == buffer.Length)
                {
                    if (buffer.Length >= options.MaxHeaderBytes)
                    {
                        capped = true;
                        break;
                    }

                    buffer = header.GrowInflateBuffer(Math.Min(options.MaxHeaderBytes, buffer.Length * 2), written);
                }

                var n = inflater.Read(buffer, written, buffer.Length - written);
                if (n == 0)
                {
                    ended = true;
                    break;
                }

                written += n;
            }
        }
        catch (InvalidDataException ex)
        {
            return Fail(header, DicomErrorKind.InvalidDeflate, dataSetOffset, "The deflated data set is corrupt: " + ex.Message);
        }

        var inflated = new ReadOnlyMemory<byte>(buffer, 0, written);
        var total = whole && ended ? written : long.MaxValue;
        var hasMeta = header.HasFileMeta;
        var hasPreamble = header.HasPreamble;
        var status = ParseInflated(inflated, total, dataSetOffset, header, options, syntax, hasMeta, hasPreamble);
        if (status == DicomParseStatus.NeedMoreData && !whole && !capped)
        {
            if (data.Length >= options.MaxHeaderBytes) return TooLarge(header, data.Length, options);
            return NeedMore(header, Math.Min(fileLength, Math.Min(options.MaxHeaderBytes, data.Length * 2L)));
        }

        // A data set cut off at the cap is a deflate bomb (or a header too long to keep) whichever way the parse then
        // fails: an element running past the cap is reported as the inflation it is, not as a plain long header.
        if (status == DicomParseStatus.NeedMoreData || (capped && status == DicomParseStatus.Error && header.Error.Kind == DicomErrorKind.HeaderTooLarge))
        {
            return Fail(header, DicomErrorKind.InvalidDeflate, dataSetOffset,
                "The deflated data set inflates past " + options.MaxHeaderBytes.ToString(CultureInfo.InvariantCulture) + " bytes before its header ends.");
        }

        return status;
    }

    private static DicomParseStatus ParseInflated(ReadOnlyMemory<byte> inflated, long total, int dataSetOffset, DicomHeader header,
        DicomReadOptions options, TransferSyntax syntax, bool hasMeta, bool hasPreamble)
    {
        // Element offsets now refer to the inflated copy, which repeats the file's first bytes up to the data set.
        header.SetData(inflated);
        header.DataSetOffset = dataSetOffset;
        header.Syntax = syntax;
        header.HasFileMeta = hasMeta;
        header.HasPreamble = hasPreamble;
        var span = inflated.Span;
        if (span.Length == dataSetOffset && total == span.Length)
        {
            header.HeaderLength = dataSetOffset;
            return DicomParseStatus.Complete;
        }

        if (!DetectEncoding(span, dataSetOffset, syntax, true, out var implicitVR, out var bigEndian))
        {
            return Fail(header, DicomErrorKind.InvalidDeflate, dataSetOffset, "The inflated data set does not start with a DICOM element.");
        }

        return ParseDataSet(span, total, dataSetOffset, implicitVR, bigEndian, header, options);
    }

    /// <summary>
    /// Stops at the stop tag or any later top-level element, but reads the trailing signature and padding groups
    /// (FFFA, FFFC) of a file without pixel data as pydicom and dcmtk do; by default Float and Double Float Pixel
    /// Data (7FE0,0008/0009) stop the read too, since they are pixel data.
    /// </summary>
    private static bool IsStop(uint tag, uint stopTag)
    {
        if (tag >= stopTag && tag < 0xFFFA0000) return true;
        return stopTag == 0x7FE00010 && tag is 0x7FE00008 or 0x7FE00009;
    }

    private static MemoryStream AsStream(ReadOnlyMemory<byte> memory) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(memory, out var segment) && segment.Array is not null
            ? new MemoryStream(segment.Array, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(memory.ToArray(), writable: false);

    private static void Push(DicomHeader header, ref Frame[] frames, ref int depth, in Frame frame)
    {
        if (depth == frames.Length)
        {
            Array.Resize(ref frames, frames.Length * 2);
            header.Frames = frames;
        }

        frames[depth++] = frame;
    }

    internal static uint ReadTag(ReadOnlySpan<byte> span, int pos, bool bigEndian) => bigEndian
        ? ((uint)BinaryPrimitives.ReadUInt16BigEndian(span[pos..]) << 16) | BinaryPrimitives.ReadUInt16BigEndian(span[(pos + 2)..])
        : ((uint)BinaryPrimitives.ReadUInt16LittleEndian(span[pos..]) << 16) | BinaryPrimitives.ReadUInt16LittleEndian(span[(pos + 2)..]);

    private static uint ReadUInt32(ReadOnlySpan<byte> span, int pos, bool bigEndian) => bigEndian
        ? BinaryPrimitives.ReadUInt32BigEndian(span[pos..])
        : BinaryPrimitives.ReadUInt32LittleEndian(span[pos..]);

    private static bool IsVRBytes(byte a, byte b) => a is >= (byte)'A' and <= (byte)'Z' && b is >= (byte)'A' and <= (byte)'Z';

    private static bool IsKnownVRBytes(byte a, byte b) => IsVRBytes(a, b) && DicomVRInfo.IsKnown(DicomVRInfo.FromBytes(a, b));

    internal static ReadOnlySpan<byte> TrimUid(ReadOnlySpan<byte> value)
    {
        var end = value.Length;
        while (end > 0 && (value[end - 1] == 0 || value[end - 1] == (byte)' ')) end--;
        var start = 0;
        while (start < end && value[start] == (byte)' ') start++;
        return value[start..end];
    }

    internal static string Describe(uint tag) => string.Create(CultureInfo.InvariantCulture, $"({tag >> 16:X4},{tag & 0xFFFF:X4})");

    private static DicomParseStatus NeedMore(DicomHeader header, long required)
    {
        header.RequiredLength = required;
        return DicomParseStatus.NeedMoreData;
    }

    private static DicomParseStatus NeedMore(DicomHeader header, long required, DicomReadOptions options)
    {
        if (required > options.MaxHeaderBytes) return TooLarge(header, required, options);
        header.RequiredLength = required;
        return DicomParseStatus.NeedMoreData;
    }

    private static DicomParseStatus Fail(DicomHeader header, DicomErrorKind kind, long offset, string message)
    {
        header.Error = new DicomReadError(kind, offset, message);
        return DicomParseStatus.Error;
    }

    private static DicomParseStatus TooLarge(DicomHeader header, long offset, DicomReadOptions options) =>
        Fail(header, DicomErrorKind.HeaderTooLarge, offset,
            "The header is longer than the limit of " + options.MaxHeaderBytes.ToString(CultureInfo.InvariantCulture) + " bytes.");

    private static DicomParseStatus DepthExceeded(DicomHeader header, long offset, DicomReadOptions options) =>
        Fail(header, DicomErrorKind.DepthLimitExceeded, offset,
            "Sequences are nested deeper than the limit of " + options.MaxDepth.ToString(CultureInfo.InvariantCulture) + " levels.");

    private static DicomParseStatus TooManyElements(DicomHeader header, long offset, DicomReadOptions options) =>
        Fail(header, DicomErrorKind.ElementLimitExceeded, offset,
            "The header holds more than the limit of " + options.MaxElements.ToString(CultureInfo.InvariantCulture) + " elements.");
}
