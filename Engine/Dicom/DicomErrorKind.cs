namespace Nccid.Batch.Dicom;

/// <summary>Why a file could not be read as DICOM. Each kind is a data error, reported as a row, never thrown.</summary>
public enum DicomErrorKind
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>Neither a Part 10 prefix nor a plausible raw data set.</summary>
    NotDicom,

    /// <summary>The file ends inside an element, an item or a sequence.</summary>
    Truncated,

    /// <summary>A declared length is impossible: past the end of the file or of its container.</summary>
    InvalidLength,

    /// <summary>The structure is impossible: an item outside a sequence, an element where an item must be.</summary>
    InvalidStructure,

    /// <summary>Sequences nested deeper than the configured limit.</summary>
    DepthLimitExceeded,

    /// <summary>More elements than the configured limit.</summary>
    ElementLimitExceeded,

    /// <summary>The header is longer than the configured maximum number of bytes.</summary>
    HeaderTooLarge,

    /// <summary>A deflated data set could not be inflated, or inflates past the configured cap.</summary>
    InvalidDeflate,

    /// <summary>The file meta information group is malformed.</summary>
    InvalidFileMeta,

    /// <summary>The storage layer could not read the object (permission, broken link, vanished file).</summary>
    Unreadable,

    /// <summary>The engine itself failed on this file: a defect to report, recorded so that the run goes on.</summary>
    Internal,
}
