namespace Nccid.Batch.Cli;

/// <summary>One timed pass of the <c>bench</c> verb over the corpus.</summary>
/// <param name="Name">What was measured.</param>
/// <param name="Files">DICOM files covered.</param>
/// <param name="Bytes">Bytes read from them.</param>
/// <param name="Elapsed">Wall time.</param>
/// <param name="AllocatedBytes">
/// Bytes allocated by every thread of the process during the pass. The runtime's count is not monotonic under Server
/// GC's dynamic heap count (it sums only the heaps in use when asked), so a pass can come out below zero; such a
/// figure is reported as unknown (<see cref="AllocatedPerFile"/> null).
/// </param>
/// <param name="CpuTime">Processor time of the whole process (user and system) during the pass.</param>
/// <param name="PeakWorkingSetBytes">Peak resident memory during the pass (of the whole run where the pass's own peak cannot be told).</param>
internal sealed record BenchMeasurement(string Name, long Files, long Bytes, TimeSpan Elapsed, long AllocatedBytes, TimeSpan CpuTime, long PeakWorkingSetBytes)
{
    /// <summary>What the garbage collector did during the pass; null where it was not watched.</summary>
    public BenchGc? Gc { get; init; }

    /// <summary>The share of the wall time the program was paused for collections; null where the collector was not watched.</summary>
    public double? GcPauseShare => Gc is null ? null : Gc.Paused.TotalSeconds / Math.Max(1e-9, Elapsed.TotalSeconds);

    public double FilesPerSecond => Files / Math.Max(1e-9, Elapsed.TotalSeconds);

    public double MegabytesPerSecond => Bytes / 1e6 / Math.Max(1e-9, Elapsed.TotalSeconds);

    /// <summary>Bytes allocated per file; null when the runtime's count went backwards during the pass.</summary>
    public double? AllocatedPerFile => AllocatedBytes < 0 ? null : AllocatedBytes / (double)Math.Max(1, Files);

    public double CpuMicrosecondsPerFile => CpuTime.TotalMicroseconds / Math.Max(1, Files);
}
