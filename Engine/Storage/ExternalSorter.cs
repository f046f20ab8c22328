using System.Text;

namespace Nccid.Batch.Storage;

/// <summary>
/// Sorts more records than a run should hold in memory: records are buffered up to a count, each full buffer is sorted
/// and written to a run file in a scratch folder, and <see cref="Sorted"/> merges the runs with what is still buffered.
/// The order is that of a stable sort by the comparer (ties keep the order of <see cref="Add"/>) whatever the buffer
/// size, so a sort that spilled and one that stayed in memory give the same sequence. <see cref="Dispose"/> deletes the
/// run files. Not thread-safe.
/// </summary>
/// <typeparam name="T">The record.</typeparam>
public sealed class ExternalSorter<T> : IDisposable
{
    private const int FileBufferBytes = 64 << 10;
    /// <summary>Run files a merge reads at once.</summary>
    public const int MaxRunsMerged = 64;
    private readonly Comparison<(T Item, long Sequence)> _order;
    private readonly ISpillCodec<T> _codec;
    private readonly string _scratchDirectory;
    private readonly int _recordsInMemory;
    private readonly string _runPrefix = "run-" + Guid.NewGuid().ToString("N");
    private readonly List<(T Item, long Sequence)> _buffer = [];
    private readonly List<(string Path, int Records)> _runs = [];
    private long _added;
    private int _files;
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
    public int RunsWritten { get; private set; }

    /// <summary>Run files on disk now: never more than <see cref="MaxRunsMerged"/>, as a full set is merged into one.</summary>
    public int RunFiles => _runs.Count;

    /// <summary>Adds a record; writes a run when the buffer is full.</summary>
    public void Add(T item)
    {
        if (_sorted) throw new InvalidOperationException("Records cannot be added once the sorted sequence has been asked for.");
        _buffer.Add((item, _added++));
        if (_buffer.Count >= _recordsInMemory) WriteRun();
    }

    /// <summary>Every record added, in order; asked for once, after the last <see cref="Add"/>.</summary>
    public IEnumerable<T> Sorted()
    {
        if (_sorted) throw new InvalidOperationException("The sorted sequence can be read once.");
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
    private IEnumerable<(T Item, long Sequence)> Merge(List<(string Path, int Records)> runs, List<(T Item, long Sequence)> buffer)
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

    private void WriteRun()
    {
        _buffer.Sort(_order);
        _runs.Add(Write(_buffer, _buffer.Count));
        RunsWritten++;
        _buffer.Clear();
        if (_runs.Count < MaxRunsMerged) return;

        // Merged into one run, so that no merge opens more than MaxRunsMerged files (a million-file audit sorts tens
        // of runs, ten million hundreds) and each source's read buffer stays a bounded share of memory.
        var runs = new List<(string Path, int Records)>(_runs);
        var records = 0;
        foreach (var run in runs) records = checked(records + run.Records);
        var merged = Write(Merge(runs, []), records);
        foreach (var (path, _) in runs) File.Delete(path);
        _runs.Clear();
        _runs.Add(merged);
    }

    private (string Path, int Records) Write(IEnumerable<(T Item, long Sequence)> records, int count)
    {
        Directory.CreateDirectory(_scratchDirectory);
        var path = Path.Combine(_scratchDirectory, _runPrefix + "-" + (_files++).ToString("D5", System.Globalization.CultureInfo.InvariantCulture) + ".bin");
        using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, FileBufferBytes))
        using (var writer = new BinaryWriter(stream, Encoding.UTF8))
        {
            foreach (var (item, sequence) in records)
            {
                writer.Write(sequence);
                _codec.Write(writer, item);
            }
        }

        return (path, count);
    }

    /// <summary>Deletes the run files.</summary>
    public void Dispose()
    {
        foreach (var (path, _) in _runs) File.Delete(path);
        _runs.Clear();
        _buffer.Clear();
    }
}
