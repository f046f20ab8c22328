using System.IO.Compression;
using Nccid.Batch.Dicom;

namespace Nccid.Batch.Synthetic;

/// <summary>
/// Writes DICOM Part 10 files (PS3.10 §7.1): a zero preamble, "DICM", the file meta group in explicit VR
/// little endian with its group length, then the data set in the chosen transfer syntax.
/// </summary>
public static class DicomFileWriter
{
    private static readonly DicomTag SopClassUid = new(0x0008, 0x0016);
    private static readonly DicomTag SopInstanceUid = new(0x0008, 0x0018);

    /// <summary>Encodes the file into a new array.</summary>
    public static byte[] ToBytes(DicomDataSetBuilder dataSet, DicomWriteOptions options)
    {
        using var buffer = new MemoryStream();
        Write(buffer, dataSet, options);
        return buffer.ToArray();
    }

    /// <summary>Encodes the file onto <paramref name="stream"/>, which is left open.</summary>
    public static DicomWriteResult Write(Stream stream, DicomDataSetBuilder dataSet, DicomWriteOptions options)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(dataSet);
        ArgumentNullException.ThrowIfNull(options);

        var start = stream.CanSeek ? stream.Position : 0;
        long position = 0;
        if (options.IncludePreamble)
        {
            Span<byte> preamble = stackalloc byte[132];
            preamble.Clear();
            "DICM"u8.CopyTo(preamble[128..]);
            stream.Write(preamble);
            position = 132;
        }

        var syntax = options.TransferSyntax;
        if (options.IncludeFileMeta)
        {
            position += WriteFileMeta(stream, dataSet, options);
        }

        var explicitVr = SyntheticTransferSyntaxInfo.IsExplicitVR(syntax);
        var bigEndian = SyntheticTransferSyntaxInfo.IsBigEndian(syntax);
        if (SyntheticTransferSyntaxInfo.IsDeflated(syntax))
        {
            using var deflate = new DeflateStream(stream, CompressionLevel.Fastest, leaveOpen: true);
            new DataSetEncoder(deflate, 0, explicitVr, bigEndian).WriteDataSet(dataSet, topLevel: true);
            deflate.Flush();
            return new DicomWriteResult(stream.CanSeek ? stream.Position - start : -1, -1);
        }

        var encoder = new DataSetEncoder(stream, position, explicitVr, bigEndian);
        encoder.WriteDataSet(dataSet, topLevel: true);
        return new DicomWriteResult(encoder.Position, encoder.PixelDataValueOffset);
    }

    private static long WriteFileMeta(Stream stream, DicomDataSetBuilder dataSet, DicomWriteOptions options)
    {
        var meta = new DicomDataSetBuilder()
            .AddBytes(new DicomTag(0x0002, 0x0001), DicomVR.OB, new byte[] { 0x00, 0x01 })
            .AddString(new DicomTag(0x0002, 0x0002), DicomVR.UI, options.MediaStorageSopClassUid ?? dataSet.GetString(SopClassUid) ?? string.Empty)
            .AddString(new DicomTag(0x0002, 0x0003), DicomVR.UI, options.MediaStorageSopInstanceUid ?? dataSet.GetString(SopInstanceUid) ?? string.Empty)
            .AddString(new DicomTag(0x0002, 0x0010), DicomVR.UI, SyntheticTransferSyntaxInfo.Uid(options.TransferSyntax))
            .AddString(new DicomTag(0x0002, 0x0012), DicomVR.UI, options.ImplementationClassUid)
            .AddString(new DicomTag(0x0002, 0x0013), DicomVR.SH, options.ImplementationVersionName);

        var measure = new DataSetEncoder(Stream.Null, 0, explicitVr: true, bigEndian: false);
        var groupLength = checked((uint)measure.DataSetLength(meta));
        var withLength = new DicomDataSetBuilder().AddUInt32(new DicomTag(0x0002, 0x0000), groupLength);
        var encoder = new DataSetEncoder(stream, 0, explicitVr: true, bigEndian: false);
        encoder.WriteDataSet(withLength, topLevel: false);
        encoder.WriteDataSet(meta, topLevel: false);
        return encoder.Position;
    }
}
