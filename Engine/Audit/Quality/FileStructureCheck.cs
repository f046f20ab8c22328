using System.Buffers.Binary;
using System.Text;
using Nccid.Batch.Dicom;

namespace Nccid.Batch.Audit.Quality;

/// <summary>
/// File-level rules: whether the file could be read as DICOM at all (from the read error's kind), its Part 10
/// framing (preamble, file meta, transfer syntax) and whether the file meta agrees with the data set.
/// </summary>
internal sealed class FileStructureCheck : IInstanceCheck
{
    private const uint SequenceDelimitationTag = 0xFFFEE0DD;

    /// <inheritdoc />
    public IReadOnlyList<AuditRule> Rules { get; } =
    [
        QualityRules.NotDicom, QualityRules.Truncated, QualityRules.MalformedStructure, QualityRules.ReaderLimitExceeded,
        QualityRules.Unreadable, QualityRules.InternalFailure, QualityRules.MissingPreamble, QualityRules.MissingFileMeta,
        QualityRules.MissingTransferSyntax, QualityRules.MetaInstanceUidMismatch, QualityRules.MetaClassUidMismatch,
        QualityRules.UnknownTransferSyntax, QualityRules.TransferSyntaxMismatch, QualityRules.RetiredTransferSyntax,
    ];

    /// <inheritdoc />
    public void Check(InstanceContext context, FindingCollector findings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(findings);
        if (!context.Readable)
        {
            var error = context.Result.Error;
            findings.Report(RuleFor(error, context.Header), string.Empty, error.ToString());
            return;
        }

        var header = context.Header;
        if (!header.HasPreamble) findings.Report(QualityRules.MissingPreamble, string.Empty, "No 128-byte preamble followed by \"DICM\".");
        if (!header.HasFileMeta)
        {
            findings.Report(QualityRules.MissingFileMeta, string.Empty, "No (0002,xxxx) group: the encoding was detected from the data set.");
        }
        else if (header.DeclaredTransferSyntaxUid is null)
        {
            findings.Report(QualityRules.MissingTransferSyntax, TagPath.Of(DicomTags.TransferSyntaxUID),
                "TransferSyntaxUID is missing or empty; the data set was read as " + Describe(header.Syntax) + ".");
        }
        else
        {
            CheckTransferSyntax(header, findings);
        }

        CompareMeta(header, DicomTags.MediaStorageSOPInstanceUID, DicomTags.SOPInstanceUID, QualityRules.MetaInstanceUidMismatch, findings);
        CompareMeta(header, DicomTags.MediaStorageSOPClassUID, DicomTags.SOPClassUID, QualityRules.MetaClassUidMismatch, findings);
        CheckPixelDataEnd(header, findings);
    }

    /// <summary>
    /// A file cut between elements, or inside encapsulated pixel data, still parses: the reader stops at Pixel Data
    /// without reading fragments. An image data set that ends without Pixel Data, or fragments (as far as the bytes
    /// already read show them) that run past the end of the file, are the marks of such a cut.
    /// </summary>
    private static void CheckPixelDataEnd(DicomHeader header, FindingCollector findings)
    {
        if (header.PixelData is not { } pixels)
        {
            if ((ModuleAttributeTable.KindOf(header) & ImagingKinds.Images) != 0)
            {
                findings.Report(QualityRules.Truncated, TagPath.Of(DicomTags.PixelData),
                    "The data set of an image ends without Pixel Data (7FE0,0010): the file was cut short, or its pixels left out.");
            }

            return;
        }

        if (!pixels.IsEncapsulated || pixels.ValueOffset < 0 || header.Syntax.Deflated) return;
        var data = header.Data.Span;
        var end = header.FileLength;
        var pos = pixels.ValueOffset;
        while (true)
        {
            if (pos + 8 > end)
            {
                findings.Report(QualityRules.Truncated, TagPath.Of(DicomTags.PixelData),
                    "The file ends inside encapsulated Pixel Data, before its sequence delimiter.");
                return;
            }

            // Only the bytes already read are walked; the rest of a large file is not fetched for this.
            if (pos + 8 > data.Length) return;
            var at = (int)pos;
            var tag = ((uint)BinaryPrimitives.ReadUInt16LittleEndian(data[at..]) << 16) | BinaryPrimitives.ReadUInt16LittleEndian(data[(at + 2)..]);
            if (tag == SequenceDelimitationTag) return;
            if (tag != DicomParser.ItemTag) return;
            var length = BinaryPrimitives.ReadUInt32LittleEndian(data[(at + 4)..]);
            if (length == DicomElement.UndefinedLength) return;
            pos += 8L + length;
            if (pos > end)
            {
                findings.Report(QualityRules.Truncated, TagPath.Of(DicomTags.PixelData),
                    "A Pixel Data fragment runs past the end of the file.");
                return;
            }
        }
    }

    /// <summary>The rule an unreadable file's error kind maps to.</summary>
    internal static AuditRule RuleFor(DicomReadError error, DicomHeader header) => error.Kind switch
    {
        DicomErrorKind.NotDicom => QualityRules.NotDicom,
        DicomErrorKind.Truncated => QualityRules.Truncated,
        DicomErrorKind.InvalidLength => RunsPastEnd(header, error.Offset) ? QualityRules.Truncated : QualityRules.MalformedStructure,
        DicomErrorKind.InvalidStructure or DicomErrorKind.InvalidFileMeta or DicomErrorKind.InvalidDeflate => QualityRules.MalformedStructure,
        DicomErrorKind.DepthLimitExceeded or DicomErrorKind.ElementLimitExceeded or DicomErrorKind.HeaderTooLarge => QualityRules.ReaderLimitExceeded,
        DicomErrorKind.Unreadable => QualityRules.Unreadable,
        _ => QualityRules.InternalFailure,
    };

    /// <summary>
    /// True when the element at <paramref name="offset"/> declares a value running past the end of the data: a
    /// file cut inside a value looks exactly like that, so it is reported as truncation rather than as a bad length.
    /// </summary>
    private static bool RunsPastEnd(DicomHeader header, long offset)
    {
        var data = header.Data.Span;
        if (offset < 0 || offset + 8 > data.Length) return false;
        var at = (int)offset;
        var big = header.Syntax.BigEndian;
        var end = header.Syntax.Deflated ? data.Length : header.FileLength;
        long length;
        int headerSize;
        var vr = DicomVRInfo.FromBytes(data[at + 4], data[at + 5]);
        if (header.Syntax.ExplicitVR && DicomVRInfo.IsKnown(vr))
        {
            if (DicomVRInfo.HasLongLength(vr))
            {
                if (at + 12 > data.Length) return false;
                length = big ? BinaryPrimitives.ReadUInt32BigEndian(data[(at + 8)..]) : BinaryPrimitives.ReadUInt32LittleEndian(data[(at + 8)..]);
                headerSize = 12;
            }
            else
            {
                length = big ? BinaryPrimitives.ReadUInt16BigEndian(data[(at + 6)..]) : BinaryPrimitives.ReadUInt16LittleEndian(data[(at + 6)..]);
                headerSize = 8;
            }
        }
        else
        {
            length = big ? BinaryPrimitives.ReadUInt32BigEndian(data[(at + 4)..]) : BinaryPrimitives.ReadUInt32LittleEndian(data[(at + 4)..]);
            headerSize = 8;
        }

        return length != DicomElement.UndefinedLength && offset + headerSize + length > end;
    }

    private static void CheckTransferSyntax(DicomHeader header, FindingCollector findings)
    {
        var uid = header.DeclaredTransferSyntaxUid!;
        if (!DicomUidDictionary.TryGet(uid, out var entry) || !string.Equals(entry.Type, "Transfer Syntax", StringComparison.Ordinal))
        {
            findings.Report(QualityRules.UnknownTransferSyntax, TagPath.Of(DicomTags.TransferSyntaxUID),
                uid + " is not a registered transfer syntax; the data set was read as " + Describe(header.Syntax) + ".");
            return;
        }

        if (!header.Syntax.Known)
        {
            // The registry knows the UID; either the reader does not (a new syntax), or the data disagrees with it.
            if (TransferSyntax.FromUid(Encoding.ASCII.GetBytes(uid)).Known)
            {
                findings.Report(QualityRules.TransferSyntaxMismatch, TagPath.Of(DicomTags.TransferSyntaxUID),
                    "Declared " + entry.Name + " (" + uid + "), but the data set is " + Describe(header.Syntax) + ".");
            }
            else
            {
                findings.Report(QualityRules.UnknownTransferSyntax, TagPath.Of(DicomTags.TransferSyntaxUID),
                    entry.Name + " (" + uid + ") is not a transfer syntax this reader decodes; the data set was read as " + Describe(header.Syntax) + ".");
            }

            return;
        }

        if (entry.Retired) findings.Report(QualityRules.RetiredTransferSyntax, TagPath.Of(DicomTags.TransferSyntaxUID), entry.Name + " (" + uid + ") is retired.");
    }

    private static void CompareMeta(DicomHeader header, uint metaTag, uint dataSetTag, AuditRule rule, FindingCollector findings)
    {
        var meta = header.FindFileMeta(metaTag);
        var dataSet = header.FindTopLevel(dataSetTag);
        if (meta < 0 || dataSet < 0) return;
        var metaValue = header.TrimmedValue(meta);
        var dataSetValue = header.TrimmedValue(dataSet);
        if (metaValue.SequenceEqual(dataSetValue)) return;
        findings.Report(rule, TagPath.Of(metaTag),
            DicomDictionary.GetKeyword(metaTag) + " " + Encoding.ASCII.GetString(metaValue) + " differs from "
            + DicomDictionary.GetKeyword(dataSetTag) + " " + Encoding.ASCII.GetString(dataSetValue) + ".");
    }

    private static string Describe(TransferSyntax syntax) =>
        (syntax.ExplicitVR ? "explicit VR " : "implicit VR ") + (syntax.BigEndian ? "big endian" : "little endian");
}
