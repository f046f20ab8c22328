using System.Runtime.CompilerServices;
using Nccid.Batch.Pipeline;
using Nccid.Batch.Storage;

namespace Nccid.Batch.Tests.Pipeline;

/// <summary>The scan with rows taken from an earlier run: what the listing hands on while the workers are behind.</summary>
public sealed class ScanPipelineReuseTests
{
    private const int Objects = 3_000;
    private const int ToRead = 40;

    [Fact]
    public async Task The_listing_goes_on_while_the_workers_read_and_every_row_comes_out_in_listing_order()
    {
        var progress = new ScanProgress();
        // Every read waits until the listing has handed on every object: it must not wait for the reads.
        var store = new SlowStore(Objects, () => progress.Listed == Objects);
        var pipeline = new ScanPipeline<string>(store, new ScanOptions { Parallelism = 2 }, () => (stored, _, _) => "read " + stored.Key)
        {
            Progress = progress,
            Reuse = new TakeAllButFirst(ToRead),
        };
        var sink = new ListSink();
        await pipeline.RunAsync(sink, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(ToRead, store.Reads);
        Assert.Equal(0, store.ReadsThatTimedOut);
        Assert.Equal(Enumerable.Range(0, Objects).Select(i => (i < ToRead ? "read " : "kept ") + SlowStore.Key(i)), sink.Rows);
    }

    /// <summary>Objects "k00000"…; a read waits (up to 20 s) for <c>until</c>.</summary>
    private sealed class SlowStore(int count, Func<bool> until) : IObjectStore
    {
        private int _reads;
        private int _timedOut;

        public static string Key(int i) => "k" + i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture);

        public int Reads => _reads;

        public int ReadsThatTimedOut => _timedOut;

        public string Description => "slow";

        public async IAsyncEnumerable<StoredObject> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            for (var i = 0; i < count; i++)
            {
                yield return new StoredObject(Key(i), 10, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));
                if (i % 512 == 0) await Task.Yield();
            }
        }

        public async ValueTask<int> ReadAsync(StoredObject storedObject, long offset, Memory<byte> destination, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _reads);
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (!until())
            {
                if (waited.Elapsed > TimeSpan.FromSeconds(20))
                {
                    Interlocked.Increment(ref _timedOut);
                    break;
                }

                await Task.Delay(5, cancellationToken);
            }

            return 0;
        }
    }

    /// <summary>Reads the first objects; every later one is handed on alone, as an index hands on a chunk taken whole.</summary>
    private sealed class TakeAllButFirst(int read) : IRowReuse<string>
    {
        private int _offered;

        public void Offer(StoredObject stored, List<(StoredObject Object, ReusedRow<string> Reused)> ready) =>
            ready.Add((stored, _offered++ < read ? ReusedRow<string>.None : new ReusedRow<string>(true, "kept " + stored.Key, Nccid.Batch.Dicom.DicomErrorKind.None)));

        public void Flush(List<(StoredObject Object, ReusedRow<string> Reused)> ready)
        {
        }

        public string Materialize(string reused) => reused;
    }

    private sealed class ListSink : IRowSink<string>
    {
        public List<string> Rows { get; } = [];

        public ValueTask AddAsync(string row, CancellationToken cancellationToken)
        {
            Rows.Add(row);
            return ValueTask.CompletedTask;
        }

        public ValueTask CompleteAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
