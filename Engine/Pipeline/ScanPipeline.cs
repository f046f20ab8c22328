using System.Threading.Channels;
using Nccid.Batch.Storage;

namespace Nccid.Batch.Pipeline;

/// <summary>
/// The scan: list → read header → parse → project → reorder → write, as bounded channels. Workers finish out
/// of order; a reorder stage restores listing order so the output is the same whatever the parallelism, and a
/// window of in-flight objects bounds the memory whatever the number of files.
/// </summary>
/// <typeparam name="TRow">The row each object becomes.</typeparam>
public sealed class ScanPipeline<TRow>
{
    /// <summary>
    /// Items the listing may hold back while the runs waiting for the workers are full (a chunk taken whole is one item,
    /// an object to read is one): beyond, the listing waits too. Thousands of whole chunks are millions of files; a chunk
    /// that goes object by object (up to 32,768) makes the listing wait at once.
    /// </summary>
    private const int RunItemsHeld = 4_096;

    private readonly IObjectStore _store;
    private readonly ScanOptions _options;
    private readonly Func<Func<StoredObject, HeaderReader, HeaderReadResult, TRow>> _createProjector;

    /// <summary>Creates a pipeline over <paramref name="store"/>.</summary>
    /// <param name="store">Where the objects are.</param>
    /// <param name="options">Validated options.</param>
    /// <param name="createProjector">
    /// Makes, once per worker, the function that turns one object and its parsed header (or its error) into a row,
    /// so that each worker can keep its own scratch buffers.
    /// </param>
    public ScanPipeline(IObjectStore store, ScanOptions options, Func<Func<StoredObject, HeaderReader, HeaderReadResult, TRow>> createProjector)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(createProjector);
        _store = store;
        _options = options.Validated();
        _createProjector = createProjector;
    }

    /// <summary>Live counters of this run.</summary>
    public ScanProgress Progress { get; init; } = new();

    /// <summary>Rows of an earlier run that may stand in for reading objects again; null reads every object.</summary>
    public IRowReuse<TRow>? Reuse { get; init; }

    /// <summary>Runs the scan into <paramref name="sink"/>; completes the sink only when every object was written.</summary>
    public async Task RunAsync(IRowSink<TRow> sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        EnsureThreads(_options.Parallelism);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = cts.Token;
        using var window = new SemaphoreSlim(_options.Window, _options.Window);
        var work = Channel.CreateBounded<(long Sequence, StoredObject Object, ReusedRow<TRow> Reused)>(new BoundedChannelOptions(_options.Parallelism * 4)
        {
            FullMode = BoundedChannelFullMode.Wait, SingleWriter = true, SingleReader = false,
        });
        var results = Channel.CreateBounded<(long Sequence, TRow Row)>(new BoundedChannelOptions(_options.Parallelism * 4)
        {
            FullMode = BoundedChannelFullMode.Wait, SingleWriter = false, SingleReader = true,
        });

        // A stage that fails cancels the others, so none waits forever on a channel or the window.
        async Task Guard(Task stage)
        {
            try
            {
                await stage.ConfigureAwait(false);
            }
            catch
            {
                await cts.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }

        var list = Guard(ListAsync(work.Writer, window, token));
        var workers = new Task[_options.Parallelism];
        for (var i = 0; i < workers.Length; i++) workers[i] = WorkAsync(work.Reader, results.Writer, token);
        var allWorkers = Guard(CompleteWhenAll(workers, results.Writer));
        var write = Guard(WriteAsync(results.Reader, sink, window, token));
        await Task.WhenAll(list, allWorkers, write).ConfigureAwait(false);

        await sink.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task ListAsync(ChannelWriter<(long, StoredObject, ReusedRow<TRow>)> writer, SemaphoreSlim window, CancellationToken token)
    {
        Exception? failure = null;
        // With rows to reuse, objects go on in runs (a chunk the reuse held back, or one object): a sender hands them to the
        // workers while the listing goes on, so that a chunk held back until its end does not leave the workers idle. Up to
        // two runs wait between them; while both places are taken, the next run grows up to RunItemsHeld items.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        var runs = Reuse is null ? null : Channel.CreateBounded<List<(StoredObject Object, ReusedRow<TRow> Reused)>>(new BoundedChannelOptions(2)
        {
            FullMode = BoundedChannelFullMode.Wait, SingleWriter = true, SingleReader = true,
        });
        var sender = runs is null ? Task.CompletedTask : SendRunsAsync(runs.Reader);
        try
        {
            long sequence = 0;
            var ready = new List<(StoredObject Object, ReusedRow<TRow> Reused)>();
            await foreach (var stored in _store.ListAsync(stop.Token).ConfigureAwait(false))
            {
                if (!Includes(_options, stored.Key))
                {
                    Progress.OnExcluded();
                    continue;
                }

                Progress.OnListed();
                if (runs is null)
                {
                    await window.WaitAsync(stop.Token).ConfigureAwait(false);
                    await writer.WriteAsync((sequence++, stored, ReusedRow<TRow>.None), stop.Token).ConfigureAwait(false);
                    continue;
                }

                Reuse!.Offer(stored, ready);
                if (ready.Count == 0) continue;
                // While the workers are behind (new files being read), the listing goes on and what it hands on waits
                // here, up to a bound: a chunk taken whole is one item, so the walk is not held up behind a few reads.
                if (!runs.Writer.TryWrite(ready))
                {
                    if (ready.Count < RunItemsHeld) continue;
                    await runs.Writer.WriteAsync(ready, stop.Token).ConfigureAwait(false);
                }

                ready = [];
            }

            if (runs is not null)
            {
                Reuse!.Flush(ready);
                if (ready.Count > 0) await runs.Writer.WriteAsync(ready, stop.Token).ConfigureAwait(false);
                runs.Writer.Complete();
                await sender.ConfigureAwait(false);
            }

            Progress.ListingComplete = true;
        }
        catch (Exception ex)
        {
            runs?.Writer.TryComplete();
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await sender.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Looked at below.
            }

            // The sender stops with the listing; when it failed first, its failure is the cause.
            failure = sender.IsFaulted && sender.Exception?.InnerException is { } cause && cause is not OperationCanceledException ? cause : ex;
            if (!ReferenceEquals(failure, ex)) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            throw;
        }
        finally
        {
            writer.TryComplete(failure);
        }

        // Each item of a run takes one place in the window and one hop through each stage; a chunk taken whole is one item.
        async Task SendRunsAsync(ChannelReader<List<(StoredObject Object, ReusedRow<TRow> Reused)>> reader)
        {
            try
            {
                long sequence = 0;
                await foreach (var run in reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
                {
                    foreach (var (stored, reused) in run)
                    {
                        await window.WaitAsync(stop.Token).ConfigureAwait(false);
                        await writer.WriteAsync((sequence++, stored, reused), stop.Token).ConfigureAwait(false);
                    }
                }
            }
            catch
            {
                await stop.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    /// <summary>
    /// Local reads block their worker (positional reads beat the asynchronous file path on a local disk), so the
    /// thread pool must start enough threads at once for every worker plus the lister and the writer; otherwise it
    /// adds threads one by one, slowly, and the stages starve each other.
    /// </summary>
    private static void EnsureThreads(int parallelism)
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        var wanted = parallelism + 4;
        if (workers < wanted) ThreadPool.SetMinThreads(wanted, io);
    }

    /// <summary>Whether a scan with <paramref name="options"/> reads the object at <paramref name="key"/> (its name matches an include pattern).</summary>
    internal static bool Includes(ScanOptions options, string key)
    {
        if (options.IncludeNames.Count == 0) return true;
        var name = key.AsSpan(key.LastIndexOf('/') + 1);
        foreach (var pattern in options.IncludeNames)
        {
            if (NamePattern.Matches(pattern, name)) return true;
        }

        return false;
    }

    private async Task WorkAsync(ChannelReader<(long Sequence, StoredObject Object, ReusedRow<TRow> Reused)> reader, ChannelWriter<(long, TRow)> writer, CancellationToken token)
    {
        using var headerReader = new HeaderReader(_options.Read, _options.InitialReadBytes);
        var project = _createProjector();
        await foreach (var (sequence, stored, reused) in reader.ReadAllAsync(token).ConfigureAwait(false))
        {
            if (reused.Found)
            {
                if (reused.Run is { } run) Progress.OnReusedRun(run);
                else if (reused.ReadThisRun) Progress.OnDone(stored.Size, reused.BytesRead, reused.Requests, reused.ErrorKind);
                else Progress.OnReused(stored.Size, reused.BytesRead, reused.Requests, reused.ErrorKind);
                await writer.WriteAsync((sequence, Reuse!.Materialize(reused.Row)), token).ConfigureAwait(false);
                continue;
            }

            HeaderReadResult result;
            TRow row;
            try
            {
                result = await headerReader.ReadAsync(_store, stored, token).ConfigureAwait(false);
                row = project(stored, headerReader, result);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A defect of the engine on one file must not stop the run: the file becomes an error row that says so.
                result = new HeaderReadResult(Dicom.DicomParseStatus.Error, 0, 0,
                    new Dicom.DicomReadError(Dicom.DicomErrorKind.Internal, -1, "The engine failed on this file: " + ex.GetType().Name + ": " + ex.Message));
                row = project(stored, headerReader, result);
            }

            Progress.OnDone(stored.Size, result.BytesRead, result.Requests, result.Status == Dicom.DicomParseStatus.Error ? result.Error.Kind : Dicom.DicomErrorKind.None);
            await writer.WriteAsync((sequence, row), token).ConfigureAwait(false);
        }
    }

    private static async Task CompleteWhenAll(Task[] workers, ChannelWriter<(long, TRow)> writer)
    {
        try
        {
            await Task.WhenAll(workers).ConfigureAwait(false);
            writer.TryComplete();
        }
        catch (Exception ex)
        {
            writer.TryComplete(ex);
            throw;
        }
    }

    private static async Task WriteAsync(ChannelReader<(long Sequence, TRow Row)> reader, IRowSink<TRow> sink, SemaphoreSlim window, CancellationToken token)
    {
        // Holds rows that arrived before their predecessors; never more than the window.
        var pending = new Dictionary<long, TRow>();
        long next = 0;
        await foreach (var (sequence, row) in reader.ReadAllAsync(token).ConfigureAwait(false))
        {
            if (sequence != next)
            {
                pending.Add(sequence, row);
                continue;
            }

            await sink.AddAsync(row, token).ConfigureAwait(false);
            window.Release();
            next++;
            while (pending.Remove(next, out var waiting))
            {
                await sink.AddAsync(waiting, token).ConfigureAwait(false);
                window.Release();
                next++;
            }
        }

        if (pending.Count > 0) throw new InvalidOperationException("Rows were lost between the workers and the writer.");
    }
}
