using System.Globalization;
using Parquet;

namespace Nccid.Batch.Tables;

/// <summary>
/// Writes a table's rows, in the order they are added, to <c>part-NNNNN.parquet</c> files in one folder.
/// Rows are buffered up to one row group; each part is written under a hidden temporary name in the same
/// folder and renamed into place only when complete, so a reader never sees a half-written part.
/// Disposing without <see cref="CompleteAsync"/> (a failed run) deletes the temporary file and every part
/// this writer created, so a failure leaves no partial table behind. Not thread-safe.
/// </summary>
/// <typeparam name="TRow">The row model.</typeparam>
public sealed class ParquetPartWriter<TRow> : IAsyncDisposable
{
    private const int InitialBufferSize = 1024;

    private readonly string _directory;
    private readonly TableSchema<TRow> _schema;
    private readonly ParquetPartOptions _options;
    private readonly ParquetOptions _parquetOptions;
    private readonly List<string> _writtenParts = [];
    private TRow[] _buffer;
    private int _buffered;
    private long _bufferedBytes;
    private OpenPart? _part;
    private State _state;

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
        _buffer = new TRow[Math.Min(options.RowGroupSize, InitialBufferSize)];

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

    /// <summary>Full paths of the part files completed so far, in order.</summary>
    public IReadOnlyList<string> WrittenParts => _writtenParts;

    /// <summary>Rows added so far.</summary>
    public long RowCount { get; private set; }

    /// <summary>Adds a row; writes a row group when the buffer reaches the row-group size.</summary>
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
            if (_bufferedBytes >= _options.MaxRowGroupBytes) return FlushRowGroupAsync(cancellationToken);
        }

        return _buffered == _options.RowGroupSize ? FlushRowGroupAsync(cancellationToken) : ValueTask.CompletedTask;
    }

    /// <summary>
    /// Writes the buffered rows and publishes the last part. A table with no rows gets one part with the
    /// schema and no row groups, so readers still see its columns.
    /// </summary>
    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        ThrowUnlessOpen();
        if (_buffered > 0)
        {
            await FlushRowGroupAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_writtenParts.Count == 0 && _part is null)
        {
            await RunAsync(() => OpenPartAsync(cancellationToken)).ConfigureAwait(false);
        }

        if (_part is not null)
        {
            await RunAsync(ClosePartAsync).ConfigureAwait(false);
        }

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

        if (_part is not null)
        {
            // The Parquet writer is not disposed: its footer is useless in a file about to be deleted, and
            // writing it could fail again and hide the original error.
            await _part.Stream.DisposeAsync().ConfigureAwait(false);
            File.Delete(_part.TempPath);
            _part = null;
        }

        foreach (var part in _writtenParts)
        {
            File.Delete(part);
        }

        _writtenParts.Clear();
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

    private async ValueTask FlushRowGroupAsync(CancellationToken cancellationToken)
    {
        await RunAsync(async () =>
        {
            if (_part is null)
            {
                await OpenPartAsync(cancellationToken).ConfigureAwait(false);
            }

            var part = _part!;
            await _schema.WriteRowGroupAsync(part.Writer, _buffer.AsMemory(0, _buffered), cancellationToken).ConfigureAwait(false);
            Array.Clear(_buffer, 0, _buffered);
            _buffered = 0;
            _bufferedBytes = 0;
            part.RowGroups++;
            if (part.RowGroups == _options.RowGroupsPerPart)
            {
                await ClosePartAsync().ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
    }

    private async Task OpenPartAsync(CancellationToken cancellationToken)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"part-{_writtenParts.Count:D5}.parquet");
        // A leading dot hides the file from pyarrow and from a '*.parquet' glob while it is being written.
        var tempPath = Path.Combine(_directory, "." + name + ".tmp");
        var stream = new FileStream(tempPath, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        // Recorded before the Parquet writer exists, so DisposeAsync removes the file even if that fails.
        _part = new OpenPart(Path.Combine(_directory, name), tempPath, stream);
        _part.Writer = await ParquetWriter.CreateAsync(_schema.ParquetSchema, stream, _parquetOptions, append: false, cancellationToken)
            .ConfigureAwait(false);
    }

    private async Task ClosePartAsync()
    {
        var part = _part!;
        await part.Writer.DisposeAsync().ConfigureAwait(false);
        await part.Stream.FlushAsync().ConfigureAwait(false);
        // Durable before it becomes visible: a crash after the rename must not leave a truncated part.
        part.Stream.Flush(flushToDisk: true);
        await part.Stream.DisposeAsync().ConfigureAwait(false);
        File.Move(part.TempPath, part.FinalPath, overwrite: false);
        _part = null;
        _writtenParts.Add(part.FinalPath);
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

    private sealed class OpenPart(string finalPath, string tempPath, FileStream stream)
    {
        public string FinalPath { get; } = finalPath;

        public string TempPath { get; } = tempPath;

        public FileStream Stream { get; } = stream;

        // Set right after construction; see OpenPartAsync.
        public ParquetWriter Writer { get; set; } = null!;

        public int RowGroups { get; set; }
    }
}
