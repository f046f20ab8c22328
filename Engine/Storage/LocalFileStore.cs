using System.IO.Enumeration;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace Nccid.Batch.Storage;

/// <summary>Objects are the regular files under a folder on a local or mounted file system.</summary>
public sealed class LocalFileStore : IObjectStore
{
    private readonly string _root;
    private BegunWalk? _begun;
    private int _mostEntriesAhead;

    /// <summary>Creates a store over <paramref name="root"/>, which must be an existing folder.</summary>
    public LocalFileStore(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        _root = Path.GetFullPath(root);
        if (!Directory.Exists(_root)) throw new DirectoryNotFoundException($"The folder '{root}' does not exist.");
    }

    /// <inheritdoc />
    public string Description => _root;

    /// <summary>The absolute path of a key.</summary>
    public string FullPath(string key) => Path.Combine(_root, key.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>How many folders are listed ahead of the walk at most, by workers on the thread pool (see <see cref="FoldersListedAhead"/>).</summary>
    /// <remarks>
    /// Listing a folder that is not in the page cache waits on the disk for its entries and the status of each file; with
    /// a folder per series, a cold walk is mostly those waits. Several in flight keep the disk busy: a cold walk of 102,195
    /// files in 50,146 folders took 5.4 s at 16 instead of 6.8 s one at a time on 2 cores. Warm, the walk is all
    /// processor, and the folders ahead must reach past the next patients' folders to the series folders the walk needs
    /// next: at 16 they did not, and the walk listed most series itself, on one core. The places go to the folders nearest
    /// the walk, not to those found first. 1 lists each folder only when the walk reaches it. <see cref="EntriesAhead"/>
    /// bounds the memory whatever the folders' width: once the entries held reach it, nothing more is put in line (the
    /// folders in line then are still listed).
    /// </remarks>
    public int FoldersAhead { get; init; } = 256;

    /// <summary>
    /// The most entries the folders listed ahead held at once, over this store's walks so far: at most
    /// <see cref="EntriesAhead"/> and the entries of the folders that were in line when it was reached.
    /// </summary>
    internal int MostEntriesAhead => Volatile.Read(ref _mostEntriesAhead);

    /// <summary>Entries the folders listed ahead may hold at most between them (a key and its status, two or three hundred bytes each), whatever their number.</summary>
    public int EntriesAhead { get; init; } = 65_536;

    /// <inheritdoc />
    /// <remarks>
    /// A depth-first walk that sorts each folder's entries gives a global order without holding the whole listing:
    /// memory grows with the depth, the widest folder and <see cref="FoldersAhead"/>, not with the number of files.
    /// Symbolic links to folders are not followed (they could loop); links to files are read through. Entries are read
    /// with one <see cref="FileSystemEnumerable{TResult}"/> per folder: a name, a type and one status call per file, no
    /// <see cref="FileInfo"/> (links, which are rare, still go through <see cref="FileSystemInfo"/>). The next folders
    /// of the walk are listed ahead of it (<see cref="FoldersAhead"/>); the order and the entries are the same.
    /// </remarks>
    public async IAsyncEnumerable<StoredObject> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _begun, null) is { } begun)
        {
            await foreach (var stored in begun.ReadAsync(cancellationToken).ConfigureAwait(false)) yield return stored;
            yield break;
        }

        await foreach (var stored in WalkAsync(cancellationToken).ConfigureAwait(false)) yield return stored;
    }

    /// <summary>
    /// Starts the walk now, on the thread pool, holding up to <paramref name="capacity"/> objects that nobody has taken
    /// yet; the next <see cref="ListAsync"/> yields this walk from its start (later calls walk again). A release starts
    /// its listing so before it loads the clinical records: on a cold disk both wait on the disk most of the time.
    /// Disposing the result stops a walk that was not taken, or not taken to its end.
    /// </summary>
    /// <param name="capacity">
    /// Objects listed ahead of the reader (a few hundred bytes each), handed over in runs of up to 256: at most the capacity
    /// and two runs more (the one being filled and the one being read). The default, 16,384, is about a second of a
    /// cold walk (102,195 files in 5.4 s on 2 cores), as long as the clinical load of a collection that size; once the
    /// reader, slower than the walk, has begun, a larger buffer would only stay full.
    /// </param>
    public IDisposable BeginListing(int capacity = 16_384)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        var begun = new BegunWalk(this, capacity);
        Interlocked.Exchange(ref _begun, begun)?.Dispose();
        return begun;
    }

    /// <summary>A walk started by <see cref="BeginListing"/>: its objects wait in a bounded channel for the reader.</summary>
    private sealed class BegunWalk : IDisposable
    {
        private readonly LocalFileStore _store;
        // Objects go through in runs: one channel operation per run, not per object.
        private readonly int _run;
        private readonly Channel<List<StoredObject>> _channel;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _walk;
        private Exception? _failure;
        private volatile bool _finished;

        public BegunWalk(LocalFileStore store, int capacity)
        {
            _store = store;
            _run = Math.Min(256, capacity);
            _channel = Channel.CreateBounded<List<StoredObject>>(new BoundedChannelOptions(Math.Max(1, capacity / _run))
            {
                FullMode = BoundedChannelFullMode.Wait, SingleWriter = true, SingleReader = true,
            });
            _walk = Task.Run(async () =>
            {
                try
                {
                    var run = new List<StoredObject>(_run);
                    await foreach (var stored in store.WalkAsync(_stop.Token).ConfigureAwait(false))
                    {
                        run.Add(stored);
                        if (run.Count < _run) continue;
                        await _channel.Writer.WriteAsync(run, _stop.Token).ConfigureAwait(false);
                        run = new List<StoredObject>(_run);
                    }

                    if (run.Count > 0) await _channel.Writer.WriteAsync(run, _stop.Token).ConfigureAwait(false);
                    _finished = true;
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    // Stopped by Dispose: nobody reads on.
                }
                catch (Exception ex)
                {
                    // Rethrown to the reader where the walk broke off, as a walk in ListAsync would throw it.
                    _failure = ex;
                }
                finally
                {
                    _channel.Writer.TryComplete();
                }
            });
        }

        public async IAsyncEnumerable<StoredObject> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (var run in _channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                foreach (var stored in run) yield return stored;
            }

            if (_failure is not null) ExceptionDispatchInfo.Throw(_failure);
            if (!_finished) throw new ObjectDisposedException(nameof(LocalFileStore), "The listing begun ahead was stopped before it was read to its end.");
        }

        public void Dispose()
        {
            if (_stop.IsCancellationRequested) return;
            // Not taken yet: the next listing walks on its own.
            Interlocked.CompareExchange(ref _store._begun, null, this);
            _stop.Cancel();
            // The walk ends at its next write or folder; waiting keeps it from outliving its store's user.
            _walk.GetAwaiter().GetResult();
            _stop.Dispose();
        }
    }

    private async IAsyncEnumerable<StoredObject> WalkAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // One cursor per open folder, the innermost on top: popping the next entry of the top cursor yields the entries in
        // order, and a folder's contents come out before the names that sort after it. An entry holds its key, made when
        // the folder is listed: one string per entry, not a name and then a key besides.
        var open = new Stack<FolderCursor>();
        using var ahead = new FoldersListedAhead(this, FoldersAhead, EntriesAhead);
        var folders = 0;
        string? next = string.Empty;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (next is not null)
            {
                var folder = ahead.Take(next) is { } listing ? await listing.ConfigureAwait(false) : ReadFolder(next);
                if (folder.Error is not null)
                {
                    yield return new StoredObject(next.Length == 0 ? "." : next, 0, default, folder.Error);
                }
                else if (folder.Entries!.Count > 0)
                {
                    open.Push(new FolderCursor(folder.Entries));
                    ListAhead(open, ahead);
                }

                next = null;
                // Gives the thread back now and then, not after every folder: a collection has a folder per series.
                if (++folders % 256 == 0) await Task.Yield();
            }

            if (open.Count == 0) yield break;
            var cursor = open.Peek();
            var index = cursor.Next++;
            if (cursor.Next == cursor.Entries.Count) open.Pop();
            var entry = cursor.Entries[index];
            var key = entry.Key;
            if (entry.Link is FileInfo link)
            {
                yield return DescribeLink(link, key);
            }
            else if (entry.Link is not null)
            {
                yield return new StoredObject(key, 0, default, "A symbolic link to a folder is not followed (links can loop).");
            }
            else if (!entry.IsDirectory)
            {
                yield return entry.Error is null ? new StoredObject(key, entry.Length, entry.ModifiedUtc) : new StoredObject(key, 0, default, entry.Error);
            }
            else
            {
                next = key;
            }
        }
    }

    /// <summary>An open folder's entries in name order and the next one to take.</summary>
    private sealed class FolderCursor(List<Entry> entries)
    {
        public List<Entry> Entries { get; } = entries;

        public int Next { get; set; }
    }

    /// <summary>
    /// Starts listing the next folders the walk will reach (from the top cursor's next entry down), while fewer than
    /// <see cref="FoldersAhead"/> are listed ahead.
    /// </summary>
    private static void ListAhead(Stack<FolderCursor> open, FoldersListedAhead ahead)
    {
        // Bounded, so that a folder of many files followed by folders costs one look per folder, not a walk of the stack.
        // The nearest folders come first: once one finds no room, the ones after it would not either.
        var looked = 0;
        foreach (var cursor in open)
        {
            for (var i = cursor.Next; i < cursor.Entries.Count; i++)
            {
                if (++looked > 4096) return;
                var entry = cursor.Entries[i];
                if (entry.IsDirectory && entry.Link is null && !ahead.Start(entry.Key)) return;
            }
        }
    }

    /// <summary>
    /// Folders listed ahead of the walk by a worker per core, the folder nearest the walk (in its order) first. A folder
    /// listed ahead puts its own subfolders in line too, while there is room: in a tree of patients, studies and series
    /// the walk then finds the series of the next study listed already, not only the next studies. A folder still in line
    /// when the walk reaches it is listed by the walk itself.
    /// </summary>
    private sealed class FoldersListedAhead : IDisposable
    {
        private readonly LocalFileStore _store;
        private readonly int _limit;
        private readonly int _entriesLimit;
        private readonly Lock _lock = new();
        private readonly Dictionary<string, int> _held = new(StringComparer.Ordinal);
        private int _entries;
        private readonly SortedSet<string> _inLine = new(WalkOrder.Instance);
        private readonly Dictionary<string, TaskCompletionSource<Folder>> _ahead = new(StringComparer.Ordinal);
        private readonly SemaphoreSlim _queued = new(0);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task[] _workers;

        public FoldersListedAhead(LocalFileStore store, int limit, int entriesLimit)
        {
            _store = store;
            _limit = limit;
            _entriesLimit = entriesLimit;
            _workers = limit <= 1 ? [] : Enumerable.Range(0, Workers(limit)).Select(_ => Task.Run(WorkAsync)).ToArray();
        }

        /// <summary>
        /// Workers: at least one per core for a warm walk, which is all processor; up to 8 for a cold one, which waits on the
        /// disk and keeps it busier the more folders are asked for at once (a cold walk of 112,203 files took 1.85 to 2.23 s
        /// with 8 workers, 2.08 to 2.25 s with 2).
        /// </summary>
        private static int Workers(int limit) => Math.Max(Environment.ProcessorCount, Math.Min(limit / 2, 8));

        /// <summary>
        /// Puts <paramref name="key"/> in line unless it is there already. When the folders ahead are as many as allowed, it
        /// takes the place of the folder farthest from the walk that is still in line, if that one comes after it: the
        /// places go to the folders the walk needs first, not to those found first. A folder put out of line is listed by
        /// the walk, or put in line again as the walk nears it. When the entries held are as many as allowed, nothing is
        /// put in line (a folder in line is listed, and its entries held, soon after). False when <paramref name="key"/>
        /// found no room.
        /// </summary>
        public bool Start(string key)
        {
            lock (_lock)
            {
                if (_limit <= 1) return false;
                if (_ahead.ContainsKey(key)) return true;
                if (_entries >= _entriesLimit) return false;
                if (_ahead.Count >= _limit)
                {
                    if (_inLine.Count == 0 || WalkOrder.Instance.Compare(key, _inLine.Max) >= 0) return false;
                    var farthest = _inLine.Max!;
                    _inLine.Remove(farthest);
                    _ahead.Remove(farthest);
                }

                _ahead[key] = new TaskCompletionSource<Folder>(TaskCreationOptions.RunContinuationsAsynchronously);
                _inLine.Add(key);
            }

            _queued.Release();
            return true;
        }

        /// <summary>The listing of <paramref name="key"/> begun ahead, if one was (taken: it is the walk's now); null when the walk is to list it.</summary>
        public Task<Folder>? Take(string key)
        {
            lock (_lock)
            {
                if (!_ahead.Remove(key, out var listing)) return null;
                if (_held.Remove(key, out var entries)) _entries -= entries;
                return _inLine.Remove(key) ? null : listing.Task;
            }
        }

        private async Task WorkAsync()
        {
            while (true)
            {
                try
                {
                    await _queued.WaitAsync(_stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                string key;
                TaskCompletionSource<Folder> listing;
                lock (_lock)
                {
                    if (_inLine.Count == 0) continue;
                    key = _inLine.Min!;
                    _inLine.Remove(key);
                    listing = _ahead[key];
                }

                Folder folder;
                try
                {
                    folder = _store.ReadFolder(key);
                }
                catch (Exception ex)
                {
                    // The walk meets it where the folder is, as if it had listed the folder itself.
                    listing.SetException(ex);
                    continue;
                }

                listing.SetResult(folder);
                if (folder.Entries is not { } entries) continue;
                lock (_lock)
                {
                    // Held until the walk takes it (unless it took it already).
                    if (_ahead.ContainsKey(key))
                    {
                        _held[key] = entries.Count;
                        _entries += entries.Count;
                        _store._mostEntriesAhead = Math.Max(_store._mostEntriesAhead, _entries);
                    }
                }

                foreach (var entry in entries)
                {
                    if (entry.IsDirectory && entry.Link is null && !Start(entry.Key)) break;
                }
            }
        }

        /// <summary>Stops the workers (a folder being listed is finished first).</summary>
        public void Dispose()
        {
            _stop.Cancel();
            Task.WaitAll(_workers);
            _stop.Dispose();
            _queued.Dispose();
        }
    }

    /// <summary>The walk's order of folder keys: ordinal per '/'-separated segment.</summary>
    private sealed class WalkOrder : IComparer<string>
    {
        public static WalkOrder Instance { get; } = new();

        public int Compare(string? x, string? y)
        {
            if (x is null || y is null) return x is null ? (y is null ? 0 : -1) : 1;
            var n = Math.Min(x.Length, y.Length);
            for (var i = 0; i < n; i++)
            {
                // A separator ends a segment, so it sorts before any character a name can hold.
                var a = x[i] == '/' ? '\0' : x[i];
                var b = y[i] == '/' ? '\0' : y[i];
                if (a != b) return a.CompareTo(b);
            }

            return x.Length.CompareTo(y.Length);
        }
    }

    /// <summary>One folder's entries in name order, or why it cannot be listed.</summary>
    private Folder ReadFolder(string key)
    {
        try
        {
            var path = key.Length == 0 ? _root : Path.Combine(_root, key.Replace('/', Path.DirectorySeparatorChar));
            var prefix = key.Length == 0 ? string.Empty : key + "/";
            var entries = new List<Entry>();
            using (var folder = new FolderEntries(path, prefix))
            {
                while (folder.MoveNext()) entries.Add(folder.Current);
            }

            // The keys share the folder's prefix: their order is their names'.
            CollectionsMarshal.AsSpan(entries).Sort(new ByName(prefix.Length));
            return new Folder(entries, null);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException or System.Security.SecurityException)
        {
            return new Folder(null, "The folder cannot be listed: " + ex.Message);
        }
    }

    private sealed record Folder(List<Entry>? Entries, string? Error);

    /// <summary>Entries of one folder by name (ordinal): their keys past the folder's prefix. A struct, so the sort inlines it.</summary>
    private readonly struct ByName(int prefixLength) : IComparer<Entry>
    {
        public int Compare(Entry x, Entry y) => x.Key.AsSpan(prefixLength).SequenceCompareTo(y.Key.AsSpan(prefixLength));
    }

    // As DirectoryInfo.GetFileSystemInfos(): hidden and system entries are listed, and an unreadable folder is an error.
    private static readonly EnumerationOptions ListingOptions = new()
    {
        AttributesToSkip = 0, IgnoreInaccessible = false, RecurseSubdirectories = false, ReturnSpecialDirectories = false,
    };

    /// <summary>A folder's entries as <see cref="Entry"/>s, its regular files' status read relative to it where the platform allows.</summary>
    private sealed class FolderEntries(string path, string prefix) : FileSystemEnumerator<Entry>(path, ListingOptions)
    {
        private readonly FolderStat? _stat = FolderStat.Available ? new FolderStat(path) : null;

        protected override Entry TransformEntry(ref FileSystemEntry entry) => Read(ref entry, prefix, _stat);

        protected override void Dispose(bool disposing)
        {
            if (disposing) _stat?.Dispose();
            base.Dispose(disposing);
        }
    }

    private static Entry Read(ref FileSystemEntry entry, string prefix, FolderStat? stat)
    {
        var key = string.Concat(prefix, entry.FileName);
        // A regular file by one look-up in its open folder; links, folders, special files and errors as below.
        if (stat is not null && !entry.IsDirectory && stat.TryStat(entry.FileName, out var length, out var modified))
        {
            return new Entry(key, IsDirectory: false, length, modified, Link: null);
        }

        if ((entry.Attributes & FileAttributes.ReparsePoint) != 0)
        {
            return new Entry(key, entry.IsDirectory, 0, default, entry.ToFileSystemInfo());
        }

        if (entry.IsDirectory) return new Entry(key, IsDirectory: true, 0, default, Link: null);
        try
        {
            return new Entry(key, IsDirectory: false, entry.Length, entry.LastWriteTimeUtc.UtcDateTime, Link: null);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            return new Entry(key, IsDirectory: false, 0, default, Link: null) { Error = "The file cannot be examined: " + ex.Message };
        }
    }

    private static StoredObject DescribeLink(FileInfo file, string key)
    {
        try
        {
            var target = file.ResolveLinkTarget(returnFinalTarget: true);
            if (target is null || !target.Exists) return new StoredObject(key, 0, default, "A broken symbolic link.");
            file = new FileInfo(target.FullName);
            if (!file.Exists) return new StoredObject(key, 0, default, "A symbolic link to something that is not a file.");
            return new StoredObject(key, file.Length, file.LastWriteTimeUtc);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            return new StoredObject(key, 0, default, "The file cannot be examined: " + ex.Message);
        }
    }

    /// <summary>One listed entry by its key: a folder, a file with its size and time, or a link (described when it is reached).</summary>
    private readonly record struct Entry(string Key, bool IsDirectory, long Length, DateTime ModifiedUtc, FileSystemInfo? Link)
    {
        public string? Error { get; init; }
    }

    /// <inheritdoc />
    /// <remarks>Synchronous positional reads: on a local disk they beat the thread-pool hop of asynchronous file I/O.</remarks>
    public ValueTask<int> ReadAsync(StoredObject storedObject, long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(storedObject);
        cancellationToken.ThrowIfCancellationRequested();
        using var handle = File.OpenHandle(FullPath(storedObject.Key), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var total = 0;
        while (total < destination.Length)
        {
            var n = RandomAccess.Read(handle, destination.Span[total..], offset + total);
            if (n == 0) break;
            total += n;
        }

        return ValueTask.FromResult(total);
    }
}
