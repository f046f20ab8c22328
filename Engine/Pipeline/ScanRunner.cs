using Nccid.Batch.Storage;

namespace Nccid.Batch.Pipeline;

/// <summary>
/// Runs one scan for a table writer: <see cref="ScanRunners.Plain{TRow}"/> by default, or a runner that reuses
/// rows of an earlier run (the scan index), so the callers that write tables need not know which.
/// </summary>
/// <typeparam name="TRow">The row each object becomes.</typeparam>
/// <param name="store">Where the objects are.</param>
/// <param name="options">Validated options.</param>
/// <param name="createProjector">Makes, once per worker, the function that turns an object and its header into a row.</param>
/// <param name="sink">Receives the rows in listing order; completed when every row was written.</param>
/// <param name="progress">The live counters to update.</param>
/// <param name="cancellationToken">Stops the run.</param>
public delegate Task ScanRunner<TRow>(
    IObjectStore store, ScanOptions options, Func<Func<StoredObject, HeaderReader, HeaderReadResult, TRow>> createProjector,
    IRowSink<TRow> sink, ScanProgress progress, CancellationToken cancellationToken);
