using Nccid.Batch.Storage;

namespace Nccid.Batch.Pipeline;

/// <summary>The default <see cref="ScanRunner{TRow}"/>: every object read and parsed.</summary>
public static class ScanRunners
{
    /// <summary>Runs a <see cref="ScanPipeline{TRow}"/> over every object.</summary>
    public static Task Plain<TRow>(
        IObjectStore store, ScanOptions options, Func<Func<StoredObject, HeaderReader, HeaderReadResult, TRow>> createProjector,
        IRowSink<TRow> sink, ScanProgress progress, CancellationToken cancellationToken) =>
        new ScanPipeline<TRow>(store, options, createProjector) { Progress = progress }.RunAsync(sink, cancellationToken);
}
