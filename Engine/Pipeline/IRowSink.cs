namespace Nccid.Batch.Pipeline;

/// <summary>Where the pipeline's rows go, one at a time and in output order.</summary>
/// <typeparam name="TRow">The row type.</typeparam>
public interface IRowSink<in TRow>
{
    /// <summary>Accepts the next row.</summary>
    ValueTask AddAsync(TRow row, CancellationToken cancellationToken);

    /// <summary>Called once after the last row when the run succeeded.</summary>
    ValueTask CompleteAsync(CancellationToken cancellationToken);
}
