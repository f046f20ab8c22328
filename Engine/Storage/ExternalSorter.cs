using System.Text;

namespace Nccid.Batch.Storage;

/// <summary>
/// Sorts more records than a run should hold in memory: records are buffered up to a count, each full buffer is sorted
/// and written to a run file in a scratch folder, and <see cref="Sorted"/> merges the runs with what is still buffered.
/// The order is that of a stable sort by the comparer (ties keep the order of <see cref="Add"/>) whatever the buffer
/// size, so a sort that spilled and one that stayed in memory give the same sequence. A full buffer is sorted and written
/// on the thread pool while records keep coming into a second one (at most one run is written at a time), so the thread
/// that adds does not wait for the sorting and writing; a record must not change once added. <see cref="Dispose"/> deletes
/// the run files. Not thread-safe.
/// </summary>
/// <typeparam name="T">The record.</typeparam>
public sealed class ExternalSorter<T> : IDisposable
{
    private const int FileBufferBytes = 64 << 10;
    /// <summary>Runs of one level merged into one run of the next.</summary>
    public const int MaxRunsMerged = 64;
    private readonly Comparison<(T Item, long Sequence)> _order;
    private readonly ISpillCodec<T> _codec;
    private readonly string _scratchDirectory;
    private readonly int _recordsInMemory;
    private readonly string _runPrefix = "run-" + Guid.NewGuid().ToString("N");
    private readonly List<Run> _runs = [];
    private List<(T Item, long Sequence)> _buffer = [];
    private List<(T Item, long Sequence)>? _spare;
    private Task? _writing;
    private long _added;
    private int _files;
    private int _runsWritten;
    private bool _sorted;

    /// <summary>A sorter that keeps at most <paramref name="recordsInMemory"/> records before writing a run under <paramref name="scratchDirectory"/>.</summary>
    /// <param name="comparer">The order.</param>
    /// <param name="codec">Writes and reads a record of a run file.</param>
    /// <param name="scratchDirectory">Where run files go; created when the first run is written.</param>
    /// <param name="recordsInMemory">Records buffered before a run is written (at least 1).</param>
    public ExternalSorter(IComparer<T> comparer, ISpillCodec<T> codec, string scratchDirectory, int recordsInMemory)
    {
        ArgumentNullException.ThrowIfNull(comparer);
        ArgumentNullException.ThrowIfNull(codec);
        ArgumentException.ThrowIfNullOrEmpty(scratchDirectory);
        ArgumentOutOfRangeException.ThrowIfLessThan(recordsInMemory, 1);
        _order = (a, b) =>
        {
            var c = comparer.Compare(a.Item, b.Item);
            return c != 0 ? c : a.Sequence.CompareTo(b.Sequence);
        };
        _codec = codec;
        _scratchDirectory = scratchDirectory;
        _recordsInMemory = recordsInMemory;
    }

    /// <summary>Records added.</summary>
    public long Count => _added;

    /// <summary>Sorted runs written so far (full buffers), whether or not merged into one another since.</summary>
    public int RunsWritten
    {
        get
        {
            WaitForRun();
            return _runsWritten;
        }
    }

    /// <summary>Run files on disk now: fewer than <see cref="MaxRunsMerged"/> of each level, as a full level is merged into one run of the next.</summary>
    public int RunFiles
    {
        get
        {
            WaitForRun();
            return _runs.Count;
        }
    }

    /// <summary>Adds a record; a full buffer is handed to be sorted and written behind.</summary>
    public void Add(T item)
    {
        if (_sorted) throw new InvalidOperationException("Records cannot be added once the sorted sequence has been asked for.");
        _buffer.Add((item, _added++));
        if (_buffer.Count < _recordsInMemory) return;

        // The run before must be written first (its failure is thrown here); its buffer then takes the next records.
        WaitForRun();
        var full = _buffer;
        _buffer = _spare ?? new List<(T Item, long Sequence)>(full.Count);
        _spare = null;
        _writing = Task.Run(() =>
        {
            WriteRun(full);
            full.Clear();
            _spare = full;
        });
    }

    private void WaitForRun()
    {
        if (_writing is not { } writing) return;
        _writing = null;
        writing.GetAwaiter().GetResult();
    }

    /// <summary>Every record added, in order; asked for once, after the last <see cref="Add"/>.</summary>
    public IEnumerable<T> Sorted()
    {
        if (_sorted) throw new InvalidOperationException("The sorted sequence can be read once.");
        WaitForRun();
        _sorted = true;
        _buffer.Sort(_order);
        return _runs.Count == 0 ? Buffered() : Merged();
    }

    private IEnumerable<T> Buffered()
    {
        foreach (var (item, _) in _buffer) yield return item;
    }

    private IEnumerable<T> Merged()
    {
        foreach (var (item, _) in Merge(_runs, _buffer)) yield return item;
    }

    // Source i < runs.Count is run file i; the last source is the buffer, already sorted.
    private IEnumerable<(T Item, long Sequence)> Merge(List<Run> runs, List<(T Item, long Sequence)> buffer)
    {
        var readers = new List<BinaryReader>(runs.Count);
        var left = new int[runs.Count + 1];
        var queue = new PriorityQueue<int, (T Item, long Sequence)>(runs.Count + 1, Comparer<(T Item, long Sequence)>.Create(_order));
        try
        {
            for (var i = 0; i < runs.Count; i++)
            {
                var stream = new FileStream(runs[i].Path, FileMode.Open, FileAccess.Read, FileShare.Read, FileBufferBytes, FileOptions.SequentialScan);
                readers.Add(new BinaryReader(stream, Encoding.UTF8, leaveOpen: false));
                left[i] = runs[i].Records;
                Next(i);
            }

            left[runs.Count] = buffer.Count;
            Next(runs.Count);
            while (queue.TryDequeue(out var source, out var entry))
            {
                yield return entry;
                Next(source);
            }
        }
        finally
        {
            foreach (var reader in readers) reader.Dispose();
        }

        void Next(int source)
        {
            if (left[source] == 0) return;
            if (source == runs.Count)
            {
                queue.Enqueue(source, buffer[buffer.Count - left[source]]);
            }
            else
            {
                var reader = readers[source];
                var sequence = reader.ReadInt64();
                queue.Enqueue(source, (_codec.Read(reader), sequence));
            }

            left[source]--;
        }
    }

    private void WriteRun(List<(T Item, long Sequence)> buffer)
    {
        buffer.Sort(_order);
        _runs.Add(Write(buffer, buffer.Count, level: 0));
        _runsWritten++;

        // MaxRunsMerged runs of one level are merged into one of the next, so no merge opens more than MaxRunsMerged
        // files per level (a million-file audit sorts tens of runs, ten million hundreds) and each record is written
        // again once per level, not once per merge. The runs' order does not matter: records carry their sequence.
        while (_runs.Count >= MaxRunsMerged && _runs[^MaxRunsMerged].Level == _runs[^1].Level)
        {
            var runs = _runs.GetRange(_runs.Count - MaxRunsMerged, MaxRunsMerged);
            var records = 0;
            foreach (var run in runs) records = checked(records + run.Records);
            var merged = Write(Merge(runs, []), records, runs[0].Level + 1);
            foreach (var run in runs) File.Delete(run.Path);
            _runs.RemoveRange(_runs.Count - MaxRunsMerged, MaxRunsMerged);
            _runs.Add(merged);
        }
    }

    private Run Write(IEnumerable<(T Item, long Sequence)> records, int count, int level)
    {
        Directory.CreateDirectory(_scratchDirectory);
        var path = Path.Combine(_scratchDirectory, _runPrefix + "-" + (_files++).ToString("D5", System.Globalization.CultureInfo.InvariantCulture) + ".bin");
        try
        {
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, FileBufferBytes);
            using var writer = new BinaryWriter(stream, Encoding.UTF8);
            foreach (var (item, sequence) in records)
            {
                writer.Write(sequence);
                _codec.Write(writer, item);
            }
        }
        catch
        {
            // A run written in part is no run: it is not left behind for Dispose to miss.
            File.Delete(path);
            throw;
        }

        return new Run(path, count, level);
    }

    /// <summary>Deletes the run files.</summary>
    public void Dispose()
    {
        try
        {
            WaitForRun();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A run that could not be written has failed the sort where it was used, and removed its file; the others go below.
        }

        foreach (var run in _runs) File.Delete(run.Path);
        _runs.Clear();
        _buffer.Clear();
    }

    // A sorted run file: full buffers are level 0, a merge of MaxRunsMerged runs of level n is of level n + 1.
    private readonly record struct Run(string Path, int Records, int Level);
}
