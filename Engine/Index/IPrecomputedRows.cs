using Nccid.Batch.Dicom;
using Nccid.Batch.Storage;

namespace Nccid.Batch.Index;

/// <summary>
/// Rows that other processes made for some objects of this same run (the shards of a cluster release), offered to an
/// indexed scan so that it reads only what they did not.
/// </summary>
/// <typeparam name="TRow">The row type.</typeparam>
public interface IPrecomputedRows<TRow>
{
    /// <summary>
    /// Called on one thread, in listing order, for each object the index does not reuse: the row made for
    /// <paramref name="stored"/>, when one was made from the same version of it (same size, time and entity tag).
    /// </summary>
    bool TryTake(StoredObject stored, out PrecomputedRow<TRow> row);
}

/// <summary>A row another process made, with what its read recorded.</summary>
/// <typeparam name="TRow">The row type.</typeparam>
/// <param name="Row">The row.</param>
/// <param name="ErrorKind">The read's error, or <see cref="DicomErrorKind.None"/>.</param>
/// <param name="BytesRead">Bytes the read fetched.</param>
/// <param name="Requests">Range reads it took.</param>
public readonly record struct PrecomputedRow<TRow>(TRow Row, DicomErrorKind ErrorKind, long BytesRead, int Requests);
