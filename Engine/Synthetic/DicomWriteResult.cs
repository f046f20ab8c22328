namespace Nccid.Batch.Synthetic;

/// <summary>What <see cref="DicomFileWriter"/> wrote.</summary>
/// <param name="Length">Bytes written to the stream.</param>
/// <param name="PixelDataValueOffset">
/// Offset from the start of the output of the first byte after the top-level Pixel Data element header,
/// or -1 when there is no pixel data or the data set is deflated (offsets into compressed bytes mean nothing).
/// </param>
public readonly record struct DicomWriteResult(long Length, long PixelDataValueOffset);
