namespace Nccid.Batch.Pipeline;

/// <summary>How long one phase of a run took.</summary>
/// <param name="Name">The phase, e.g. <c>audit</c> or <c>join</c>.</param>
/// <param name="Seconds">Wall-clock seconds.</param>
/// <param name="GcPauseSeconds">Seconds the garbage collector paused the process meanwhile (process-wide: work running beside the run counts too).</param>
public sealed record PhaseTime(string Name, double Seconds, double GcPauseSeconds)
{
    /// <summary>
    /// Bytes allocated on the managed heap meanwhile (process-wide, as the pauses); null where the runtime's count did not
    /// move on or went back, as .NET 10's can when the server collector changes its number of heaps
    /// (dotnet/runtime#131069): it then counts only the heaps in use, and the figures are approximate.
    /// </summary>
    public long? AllocatedBytes { get; init; }
}
