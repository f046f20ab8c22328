using Nccid.Batch.Dicom;

namespace Nccid.Batch.Pipeline;

/// <summary>What <see cref="IRowReuse{TRow}"/> hands on for a listed object.</summary>
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

    /// <summary>
    /// Set when <see cref="Row"/> stands for a run of listed objects taken as one piece (a chunk of an index whose every
    /// object is unchanged): what they add up to, for the run's counters. Null for one object.
    /// </summary>
    public ReusedRun? Run { get; init; }

    /// <summary>
    /// Set when another process read the object for this same run (a shard of a cluster release) and the row is its
    /// result: the object counts as read, not reused.
    /// </summary>
    public bool ReadThisRun { get; init; }
}

/// <summary>What a run of reused objects adds up to (see <see cref="ReusedRow{TRow}.Run"/>).</summary>
/// <param name="Objects">Listed objects in the run.</param>
/// <param name="BytesStored">Their stored bytes.</param>
/// <param name="BytesRead">Bytes the reads that made their rows fetched.</param>
/// <param name="Requests">Range reads those took.</param>
/// <param name="Errors">Error rows among them, by kind.</param>
public sealed record ReusedRun(long Objects, long BytesStored, long BytesRead, long Requests, IReadOnlyDictionary<DicomErrorKind, long> Errors);
