namespace Nccid.Batch.Dicom;

/// <summary>The outcome of one parse attempt over the bytes supplied so far.</summary>
public enum DicomParseStatus
{
    /// <summary>The header was read up to the stop tag or the end of the data set.</summary>
    Complete,

    /// <summary>More bytes are needed: supply at least <see cref="DicomHeader.RequiredLength"/> bytes and parse again.</summary>
    NeedMoreData,

    /// <summary>The file is not readable as DICOM; <see cref="DicomHeader.Error"/> says why and where.</summary>
    Error,
}
