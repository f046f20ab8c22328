using Nccid.Batch.Storage;

namespace Nccid.Batch.Pipeline;

/// <summary>
/// Rows a scan may take from an earlier run instead of reading the objects again (an index of that run). The lister
/// offers every included object, in listing order, so an implementation can walk its own sorted entries alongside the
/// listing in one merge pass; it may hold objects back and hand a run of them on as one row. The workers then finish
/// the reused rows in parallel.
/// </summary>
/// <typeparam name="TRow">The row each object becomes.</typeparam>
public interface IRowReuse<TRow>
{
    /// <summary>
    /// Called by the lister for each included object, in listing order, on one thread: adds to <paramref name="ready"/>,
    /// in listing order, the objects to go on (this one, held ones, or none yet), each with its reused row or none.
    /// </summary>
    void Offer(StoredObject stored, List<(StoredObject Object, ReusedRow<TRow> Reused)> ready);

    /// <summary>Called by the lister after the last object: adds what is still held back to <paramref name="ready"/>.</summary>
    void Flush(List<(StoredObject Object, ReusedRow<TRow> Reused)> ready);

    /// <summary>Called on a worker for each row found, to do the costly part (decoding) in parallel.</summary>
    TRow Materialize(TRow reused);
}
