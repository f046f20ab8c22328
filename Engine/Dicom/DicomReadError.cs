namespace Nccid.Batch.Dicom;

/// <summary>A typed read error: what went wrong and at which byte offset of the file (or inflated data set).</summary>
/// <param name="Kind">The category of error.</param>
/// <param name="Offset">Byte offset where the problem was detected, or -1 when it has no place.</param>
/// <param name="Message">A sentence a person can act on.</param>
public readonly record struct DicomReadError(DicomErrorKind Kind, long Offset, string Message)
{
    /// <summary>Formats as <c>kind at offset N: message</c>, the form used in error rows.</summary>
    public override string ToString() => Offset >= 0
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Kind} at byte {Offset}: {Message}")
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Kind}: {Message}");
}
