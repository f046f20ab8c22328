using System.Globalization;
using Nccid.Batch.Storage;
using Parquet;

namespace Nccid.Batch.Tables;

/// <summary>
/// Writes a table's rows, in the order they are added, to <c>part-NNNNN.parquet</c> files in one folder.
/// Rows are buffered up to one row group; each part is written under a hidden temporary name in the same
/// folder and renamed into place only when complete, so a reader never sees a half-written part.
/// With <see cref="ParquetPartOptions.MaxPartsInFlight"/> above 0 a full row group is encoded off the caller's
/// thread while the caller goes on adding rows, and different parts are encoded at the same time on their own
/// Parquet writers; a part's content depends only on its rows and the options, so the files are byte for byte
/// the same whatever the timing. Rows must not be changed after they are added.
/// Disposing without <see cref="CompleteAsync"/> (a failed run) waits for the encoding in flight, then deletes
/// the temporary files and every part this writer created, so a failure leaves no partial table behind.
/// Not thread-safe: one caller adds the rows.
/// </summary>
/// <typeparam name="TRow">The row model.</typeparam>
public sealed class ParquetPartWriter<TRow> : IAsyncDisposable
{
    private const int InitialBufferSize = 1024;

    private readonly string _directory;
    private readonly TableSchema<TRow> _schema;
    private readonly ParquetPartOptions _options;
    private readonly ParquetOptions _parquetOptions;
    private readonly List<Part> _parts = [];
    private readonly Queue<Task> _inFlight = new();
    private TRow[] _buffer;
    private int _buffered;
    private long _bufferedBytes;
    private Part? _current;
    private State _state;
    private string? _chunk;
    private int _chunkParts;
    // A chunk begun without its fingerprint: its parts stay open, their footers unwritten, until it ends.
    private bool _chunkPending;
    private readonly List<Part> _pendingParts = [];

    /// <summary>Prepares to write into <paramref name="tableDirectory"/>, creating it when missing.</summary>
    /// <exception cref="ArgumentException">The options are invalid (every problem is listed).</exception>
    /// <exception cref="IOException">The folder already holds part files, which would mix with the new ones.</exception>
    public ParquetPartWriter(string tableDirectory, TableSchema<TRow> schema, ParquetPartOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tableDirectory);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid Parquet part options: " + string.Join(" ", errors), nameof(options));
        }

        _directory = Path.GetFullPath(tableDirectory);
        _schema = schema;
        _options = options;
        _parquetOptions = CreateParquetOptions(schema, options);
        _buffer = NewBuffer();

        Directory.CreateDirectory(_directory);
        if (Directory.EnumerateFiles(_directory, "part-*.parquet").Any())
        {
            throw new IOException($"'{_directory}' already contains part files; write a table into an empty folder.");
        }
    }

    private enum State
    {
        Open,
        Completed,
        Failed,
        Disposed,
    }

    /// <summary>Full paths of the part files completed so far, in order (every part once <see cref="CompleteAsync"/> has returned).</summary>
    public IReadOnlyList<string> WrittenParts
    {
        get
        {
            var written = new List<string>();
            foreach (var part in _parts)
            {
                if (!part.Published) break;
                written.Add(part.FinalPath);
            }

            return written;
        }
    }

    /// <summary>Rows added so far.</summary>
    public long RowCount { get; private set; }

    /// <summary>
    /// Adds a row; when the buffer reaches a row group, the group is written (or, with parts in flight, handed to
    /// a background encoder, waiting only while <see cref="ParquetPartOptions.MaxPartsInFlight"/> groups are being encoded).
    /// </summary>
    public ValueTask AddAsync(TRow row, CancellationToken cancellationToken)
    {
        ThrowUnlessOpen();
        if (_buffered == _buffer.Length)
        {
            // The buffer grows up to one row group, so small tables do not pay for a full-size buffer.
            Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, _options.RowGroupSize));
        }

        _buffer[_buffered++] = row;
        RowCount++;
        if (_schema.EstimateRowBytes is { } estimate)
        {
            // Wide rows (header_json) would otherwise hold gigabytes per row group; bytes cap the group as well as rows.
            _bufferedBytes += estimate(row);
            if (_bufferedBytes >= _options.MaxRowGroupBytes) return FlushRowGroupAsync(closePart: false, cancellationToken);
        }

        return _buffered == _options.RowGroupSize ? FlushRowGroupAsync(closePart: false, cancellationToken) : ValueTask.CompletedTask;
    }

    /// <summary>
    /// Ends the open part (after writing its buffered rows), so that the next row starts a new one; the rows added
    /// until the next <see cref="EndPartAsync"/> form the chunk <paramref name="fingerprint"/>, whose parts record it
    /// in their key-value metadata (<see cref="PartReuse.MetadataKey"/>, with each part's place in the chunk) for
    /// <see cref="PartReuse"/>. Null starts rows that belong to no chunk.
    /// </summary>
    public async ValueTask BeginChunkAsync(string? fingerprint, CancellationToken cancellationToken)
    {
        ThrowIfChunkPending();
        await EndPartAsync(cancellationToken).ConfigureAwait(false);
        _chunk = fingerprint;
        _chunkParts = 0;
    }

    /// <summary>
    /// Begins a chunk whose fingerprint is known only at its end (<see cref="EndPendingChunkAsync"/>): its rows are
    /// encoded and written as they come, and its parts stay open, their footers (which hold the chunk's label) unwritten,
    /// until then. The parts are byte for byte those of <see cref="BeginChunkAsync"/> with the same fingerprint.
    /// </summary>
    public async ValueTask BeginPendingChunkAsync(CancellationToken cancellationToken)
    {
        ThrowIfChunkPending();
        await EndPartAsync(cancellationToken).ConfigureAwait(false);
        _chunk = null;
        _chunkParts = 0;
        _chunkPending = true;
    }

    /// <summary>Ends the chunk begun by <see cref="BeginPendingChunkAsync"/>: its parts are labelled <paramref name="fingerprint"/> and closed.</summary>
    public async ValueTask EndPendingChunkAsync(string fingerprint, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(fingerprint);
        if (!_chunkPending) throw new InvalidOperationException("No chunk is pending.");
        await EndPartAsync(cancellationToken).ConfigureAwait(false);
        _chunkPending = false;
        for (var i = 0; i < _pendingParts.Count; i++)
        {
            var part = _pendingParts[i];
            part.Label = string.Create(CultureInfo.InvariantCulture, $"{fingerprint}/{i}");
            await ScheduleAsync(part, previous => WriteStepAsync(part, previous, [], 0, closePart: true, cancellationToken)).ConfigureAwait(false);
        }

        _pendingParts.Clear();
    }

    /// <summary>Ends the open part, if any (after writing its buffered rows): the next row starts a new part.</summary>
    public async ValueTask EndPartAsync(CancellationToken cancellationToken)
    {
        ThrowUnlessOpen();
        if (_buffered > 0)
        {
            await FlushRowGroupAsync(closePart: true, cancellationToken).ConfigureAwait(false);
        }
        else if (_current is { } part)
        {
            _current = null;
            if (!part.AwaitsLabel) await ScheduleAsync(part, previous => WriteStepAsync(part, previous, [], 0, closePart: true, cancellationToken)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Takes over complete part files of an earlier output as the next parts of this table, in order, after ending the
    /// open part. Each is linked under its new name where the file system allows it, else copied durably (<see cref="FileLinks"/>).
    /// </summary>
    /// <param name="files">The earlier parts (never changed: published outputs are not written again).</param>
    /// <param name="rows">Rows the parts hold together, for <see cref="RowCount"/>.</param>
    /// <param name="cancellationToken">Stops before the next part.</param>
    public async ValueTask AddExistingPartsAsync(IReadOnlyList<string> files, long rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        ThrowIfChunkPending();
        await EndPartAsync(cancellationToken).ConfigureAwait(false);
        _chunk = null;
        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var part = StartPart();
            await RunAsync(() => TakeOverPart(file, part)).ConfigureAwait(false);
        }

        RowCount += rows;
    }

    /// <summary>
    /// Writes the buffered rows, waits for every part to be encoded and publishes the last one. A table with no
    /// rows gets one part with the schema and no row groups, so readers still see its columns.
    /// </summary>
    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        ThrowUnlessOpen();
        ThrowIfChunkPending();
        if (_buffered > 0)
        {
            await FlushRowGroupAsync(closePart: true, cancellationToken).ConfigureAwait(false);
        }
        else if (_current is not null || _parts.Count == 0)
        {
            var part = _current ?? StartPart();
            _current = null;
            await ScheduleAsync(part, previous => WriteStepAsync(part, previous, [], 0, closePart: true, cancellationToken)).ConfigureAwait(false);
        }

        foreach (var part in _parts)
        {
            await RunAsync(() => part.Tail).ConfigureAwait(false);
        }

        _inFlight.Clear();
        _state = State.Completed;
    }

    /// <summary>Releases the open part; without a completed write, removes everything this writer created.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_state == State.Disposed)
        {
            return;
        }

        var completed = _state == State.Completed;
        _state = State.Disposed;
        Array.Clear(_buffer);
        if (completed)
        {
            return;
        }

        foreach (var part in _parts)
        {
            try
            {
                await part.Tail.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The run has already failed (or was abandoned) and reported why; what is left is to remove its files.
            }
        }

        foreach (var part in _parts)
        {
            if (part.Stream is not null)
            {
                // The Parquet writer is not disposed: its footer is useless in a file about to be deleted, and
                // writing it could fail again and hide the original error.
                await part.Stream.DisposeAsync().ConfigureAwait(false);
                part.Stream = null;
            }

            File.Delete(part.TempPath);
            File.Delete(part.FinalPath);
        }

        _parts.Clear();
    }

    private static ParquetOptions CreateParquetOptions(TableSchema<TRow> schema, ParquetPartOptions options)
    {
        // Every setting that affects the bytes is explicit: Parquet.Net's defaults change between versions.
        var parquetOptions = new ParquetOptions
        {
            CompressionMethod = CompressionMethod.Zstd,
            CompressionLevel = options.CompressionLevel,
            DictionaryEncodingThreshold = options.DictionaryEncodingThreshold,
            DictionaryEncodingSampleSize = options.DictionaryEncodingSampleSize,
        };
        foreach (var leaf in schema.StringLeaves)
        {
            parquetOptions.ColumnEncodingHints[leaf.Path.ToString()] = EncodingHint.Dictionary;
        }

        return parquetOptions;
    }

    private TRow[] NewBuffer() => new TRow[Math.Min(_options.RowGroupSize, InitialBufferSize)];

    private Part StartPart()
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"part-{_parts.Count:D5}.parquet");
        // A leading dot hides the file from pyarrow and from a '*.parquet' glob while it is being written.
        var part = new Part(Path.Combine(_directory, name), Path.Combine(_directory, "." + name + ".tmp"))
        {
            Label = _chunk is null ? null : string.Create(CultureInfo.InvariantCulture, $"{_chunk}/{_chunkParts++}"),
            AwaitsLabel = _chunkPending,
        };
        _parts.Add(part);
        if (_chunkPending) _pendingParts.Add(part);
        return part;
    }

    private ValueTask FlushRowGroupAsync(bool closePart, CancellationToken cancellationToken)
    {
        // The rows go to the encoder with their array; the writer starts a new buffer for the next group.
        var rows = _buffer;
        var count = _buffered;
        _buffer = _options.MaxPartsInFlight == 0 ? _buffer : NewBuffer();
        _buffered = 0;
        _bufferedBytes = 0;
        var part = _current ?? StartPart();
        part.RowGroupsScheduled++;
        closePart |= part.RowGroupsScheduled == _options.RowGroupsPerPart;
        _current = closePart ? null : part;
        // A part of a pending chunk is full here but is closed when the chunk ends, once its label is known.
        var closeNow = closePart && !part.AwaitsLabel;
        return ScheduleAsync(part, previous => WriteStepAsync(part, previous, rows, count, closeNow, cancellationToken));
    }

    /// <summary>
    /// Chains a step after the part's previous one (a part's row groups are written in order on its one writer).
    /// Without parts in flight the step runs now; otherwise it runs on the thread pool and the caller waits only
    /// while too many steps are queued.
    /// </summary>
    private async ValueTask ScheduleAsync(Part part, Func<Task, Task> step)
    {
        var previous = part.Tail;
        if (_options.MaxPartsInFlight == 0)
        {
            part.Tail = step(previous);
            await RunAsync(() => part.Tail).ConfigureAwait(false);
            return;
        }

        part.Tail = Task.Run(() => step(previous));
        _inFlight.Enqueue(part.Tail);
        while (_inFlight.Count > _options.MaxPartsInFlight)
        {
            var oldest = _inFlight.Dequeue();
            await RunAsync(() => oldest).ConfigureAwait(false);
        }
    }

    private async Task WriteStepAsync(Part part, Task previous, TRow[] rows, int count, bool closePart, CancellationToken cancellationToken)
    {
        await previous.ConfigureAwait(false);
        if (part.Writer is null)
        {
            await OpenPartAsync(part, cancellationToken).ConfigureAwait(false);
        }

        if (count > 0)
        {
            await _schema.WriteRowGroupAsync(part.Writer!, rows.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
            Array.Clear(rows, 0, count);
        }

        if (closePart)
        {
            await ClosePartAsync(part).ConfigureAwait(false);
        }
    }

    private async Task OpenPartAsync(Part part, CancellationToken cancellationToken)
    {
        // Recorded before the Parquet writer exists, so DisposeAsync removes the file even if that fails.
        part.Stream = new FileStream(part.TempPath, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        part.Writer = await ParquetWriter.CreateAsync(_schema.ParquetSchema, part.Stream, _parquetOptions, append: false, cancellationToken)
            .ConfigureAwait(false);
    }

    private static Task TakeOverPart(string source, Part part)
    {
        // A published part is never written again, so the new output may name the same file (a hard link) rather than copy it.
        FileLinks.LinkOrCopy(source, part.FinalPath);
        part.Published = true;
        return Task.CompletedTask;
    }

    private static async Task ClosePartAsync(Part part)
    {
        var stream = part.Stream!;
        // The label goes into the footer, which the writer writes when it is disposed; a pending chunk's is known only now.
        if (part.Label is { } label)
        {
            part.Writer!.CustomMetadata = new Dictionary<string, string>(StringComparer.Ordinal) { [PartReuse.MetadataKey] = label };
        }

        await part.Writer!.DisposeAsync().ConfigureAwait(false);
        // A closed writer still holds the part's footer and buffers; every part stays listed until the table completes.
        part.Writer = null;
        await stream.FlushAsync().ConfigureAwait(false);
        // Durable before it becomes visible: a crash after the rename must not leave a truncated part.
        stream.Flush(flushToDisk: true);
        await stream.DisposeAsync().ConfigureAwait(false);
        part.Stream = null;
        File.Move(part.TempPath, part.FinalPath, overwrite: false);
        part.Published = true;
    }

    private async ValueTask RunAsync(Func<Task> step)
    {
        try
        {
            await step().ConfigureAwait(false);
        }
        catch
        {
            // The open part is in an unknown state; only DisposeAsync may touch it now.
            _state = State.Failed;
            throw;
        }
    }

    private void ThrowIfChunkPending()
    {
        if (_chunkPending) throw new InvalidOperationException("A pending chunk must be ended first.");
    }

    private void ThrowUnlessOpen()
    {
        switch (_state)
        {
            case State.Open:
                return;
            case State.Completed:
                throw new InvalidOperationException("The table has already been completed.");
            case State.Failed:
                throw new InvalidOperationException("An earlier write failed; dispose the writer and start again.");
            default:
                throw new ObjectDisposedException(nameof(ParquetPartWriter<TRow>));
        }
    }

    /// <summary>One part file: touched only by its own chain of steps, and by DisposeAsync once they are over.</summary>
    private sealed class Part(string finalPath, string tempPath)
    {
        public string FinalPath { get; } = finalPath;

        public string TempPath { get; } = tempPath;

        public FileStream? Stream { get; set; }

        public ParquetWriter? Writer { get; set; }

        /// <summary>The chunk fingerprint and the part's place in its chunk, recorded in its metadata; null outside chunks.</summary>
        // Set on the adding thread before the step that closes the part is scheduled.
        public string? Label { get; set; }

        public bool AwaitsLabel { get; init; }

        public int RowGroupsScheduled { get; set; }

        public Task Tail { get; set; } = Task.CompletedTask;

        // Set by the part's last step, read by the adding thread.
        public bool Published
        {
            get => Volatile.Read(ref _published);
            set => Volatile.Write(ref _published, value);
        }

        private bool _published;
    }
}
