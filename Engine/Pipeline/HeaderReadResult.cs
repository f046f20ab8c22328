using Nccid.Batch.Dicom;

namespace Nccid.Batch.Pipeline;

/// <summary>The outcome of reading one object's header.</summary>
/// <param name="Status">Complete or Error (never NeedMoreData: the reader supplies more itself).</param>
/// <param name="BytesRead">How many bytes of the object were read.</param>
/// <param name="Requests">How many range reads it took.</param>
/// <param name="Error">The error when <paramref name="Status"/> is Error.</param>
public readonly record struct HeaderReadResult(DicomParseStatus Status, long BytesRead, int Requests, DicomReadError Error);
