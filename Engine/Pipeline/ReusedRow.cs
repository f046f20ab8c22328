using Nccid.Batch.Dicom;

namespace Nccid.Batch.Pipeline;

/// <summary>The answer of <see cref="IRowReuse{TRow}.TryReuseAsync"/>.</summary>
/// <typeparam name="TRow">The row type.</typeparam>
/// <param name="Found">True when the row is reused and the object is not read.</param>
/// <param name="Row">The reused row, when found.</param>
/// <param name="ErrorKind">The error kind the row was recorded with, for the run's counters.</param>
/// <param name="BytesRead">Bytes the read that made the row fetched, so the run's figures describe the rows whichever run read them.</param>
/// <param name="Requests">Range reads that read took.</param>
public readonly record struct ReusedRow<TRow>(bool Found, TRow Row, DicomErrorKind ErrorKind, long BytesRead = 0, int Requests = 0)
{
    /// <summary>Not reused: the object is read and parsed.</summary>
    public static ReusedRow<TRow> None => default;
}
