namespace Nccid.Batch.Cli;

/// <summary>
/// What the garbage collector did during one <c>bench</c> pass: collections of each generation (each counted once, at
/// its own generation), the time it paused the program, and the most memory it had committed for the managed heap.
/// </summary>
/// <param name="Gen0">Collections of generation 0 alone.</param>
/// <param name="Gen1">Collections of generation 1 (with generation 0), not full ones.</param>
/// <param name="Gen2">Full collections.</param>
/// <param name="Paused">Time the program was paused for collections.</param>
/// <param name="PeakCommittedBytes">
/// The most memory committed for the managed heap after any collection of the pass (sampled every 100 ms): the part of
/// the resident peak that is the collector's, the rest being the runtime, native buffers and code.
/// </param>
internal sealed record BenchGc(int Gen0, int Gen1, int Gen2, TimeSpan Paused, long PeakCommittedBytes)
{
    /// <summary>Starts watching the collector; <see cref="Watch.Stop"/> gives the figures.</summary>
    public static Watch Start() => new();

    /// <summary>The counts and pause time at the start of a pass, and a sampler of the committed heap.</summary>
    internal sealed class Watch : IDisposable
    {
        private readonly int _gen0 = GC.CollectionCount(0), _gen1 = GC.CollectionCount(1), _gen2 = GC.CollectionCount(2);
        private readonly TimeSpan _paused = GC.GetTotalPauseDuration();
        private readonly Timer _timer;
        private long _peakCommitted;

        public Watch()
        {
            _timer = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(100));
        }

        /// <summary>What the collector did since the watch started.</summary>
        public BenchGc Stop()
        {
            _timer.Dispose();
            Sample();
            int gen0 = GC.CollectionCount(0) - _gen0, gen1 = GC.CollectionCount(1) - _gen1, gen2 = GC.CollectionCount(2) - _gen2;
            // CollectionCount(n) counts every collection of generation n or older.
            return new BenchGc(gen0 - gen1, gen1 - gen2, gen2, GC.GetTotalPauseDuration() - _paused, Interlocked.Read(ref _peakCommitted));
        }

        public void Dispose() => _timer.Dispose();

        private void Sample()
        {
            var committed = GC.GetGCMemoryInfo(GCKind.Any).TotalCommittedBytes;
            long seen;
            while (committed > (seen = Interlocked.Read(ref _peakCommitted)) && Interlocked.CompareExchange(ref _peakCommitted, committed, seen) != seen)
            {
            }
        }
    }
}
