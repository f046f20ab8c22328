using Nccid.Batch.Storage;

namespace Nccid.Batch.Pipeline;

/// <summary>
/// Rows a scan may take from an earlier run instead of reading the object again (an index of that run).
/// The lister asks once per included object, in listing order, so an implementation can walk its own sorted
/// entries alongside the listing in one merge pass; the workers then finish the reused rows in parallel.
/// </summary>
/// <typeparam name="TRow">The row each object becomes.</typeparam>
public interface IRowReuse<TRow>
{
    /// <summary>Called by the lister for each included object, in listing order, on one thread.</summary>
    ValueTask<ReusedRow<TRow>> TryReuseAsync(StoredObject stored, CancellationToken cancellationToken);

    /// <summary>Called on a worker for each row <see cref="TryReuseAsync"/> found, to do the costly part (decoding) in parallel.</summary>
    TRow Materialize(TRow reused);
}
