using System.Globalization;
using Nccid.Batch.Dicom;

namespace Nccid.Batch.Audit.Quality;

/// <summary>
/// Image Pixel module consistency: bit depths, matrix size, and the length of native Pixel Data against what the
/// module describes. Reads only the Pixel Data element header the reader stopped at; the pixels are never read.
/// </summary>
internal sealed class PixelModuleCheck : IInstanceCheck
{
    /// <inheritdoc />
    public IReadOnlyList<AuditRule> Rules { get; } =
    [
        QualityRules.BitsStoredExceedsAllocated, QualityRules.HighBitMismatch, QualityRules.EmptyImageMatrix,
        QualityRules.PixelDataLengthMismatch,
    ];

    /// <inheritdoc />
    public void Check(InstanceContext context, FindingCollector findings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(findings);
        if (!context.Readable) return;
        var header = context.Header;
        var hasAllocated = header.TryGetInt32(DicomTags.BitsAllocated, out var allocated);
        var hasStored = header.TryGetInt32(DicomTags.BitsStored, out var stored);
        if (hasAllocated && hasStored && stored > allocated)
        {
            findings.Report(QualityRules.BitsStoredExceedsAllocated, TagPath.Of(DicomTags.BitsStored),
                string.Create(CultureInfo.InvariantCulture, $"BitsStored {stored} exceeds BitsAllocated {allocated}."));
        }

        if (hasStored && header.TryGetInt32(DicomTags.HighBit, out var highBit) && highBit != stored - 1)
        {
            findings.Report(QualityRules.HighBitMismatch, TagPath.Of(DicomTags.HighBit),
                string.Create(CultureInfo.InvariantCulture, $"HighBit {highBit} is not BitsStored {stored} - 1."));
        }

        var hasRows = header.TryGetInt32(DicomTags.Rows, out var rows);
        var hasColumns = header.TryGetInt32(DicomTags.Columns, out var columns);
        if ((hasRows && rows == 0) || (hasColumns && columns == 0))
        {
            findings.Report(QualityRules.EmptyImageMatrix, TagPath.Of(rows == 0 && hasRows ? DicomTags.Rows : DicomTags.Columns),
                string.Create(CultureInfo.InvariantCulture, $"Rows {rows}, Columns {columns}."));
        }

        if (hasRows && hasColumns && hasAllocated && rows > 0 && columns > 0 && allocated > 0)
        {
            CheckNativeLength(header, rows, columns, allocated, findings);
        }
    }

    private static void CheckNativeLength(DicomHeader header, int rows, int columns, int allocated, FindingCollector findings)
    {
        if (header.PixelData is not { } pixels || pixels.Tag != DicomTags.PixelData || pixels.Length is not { } length) return;
        if (header.Syntax.Encapsulated) return;
        var samples = header.TryGetInt32(DicomTags.SamplesPerPixel, out var s) && s > 0 ? s : 1;
        var frames = header.TryGetInt32(DicomTags.NumberOfFrames, out var f) && f > 0 ? f : 1;
        var bits = (long)rows * columns * samples * allocated * frames;
        var expected = (bits + 7) / 8;

        // PS3.5 Section 7.1.1: values have even length, so an odd pixel count gets one byte of padding.
        if (length == expected || (expected % 2 == 1 && length == expected + 1)) return;
        findings.Report(QualityRules.PixelDataLengthMismatch, TagPath.Of(DicomTags.PixelData),
            string.Create(CultureInfo.InvariantCulture,
                $"PixelData holds {length} bytes; {rows} x {columns} x {samples} samples x {allocated} bits x {frames} frames needs {expected}."));
    }
}
