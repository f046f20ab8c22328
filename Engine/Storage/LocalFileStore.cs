using System.Runtime.CompilerServices;

namespace Nccid.Batch.Storage;

/// <summary>Objects are the regular files under a folder on a local or mounted file system.</summary>
public sealed class LocalFileStore : IObjectStore
{
    private readonly string _root;

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

    /// <inheritdoc />
    /// <remarks>
    /// A depth-first walk that sorts each folder's entries gives a global order without holding the whole listing:
    /// memory grows with the depth and the widest folder, not with the number of files. Symbolic links to folders
    /// are not followed (they could loop); links to files are read through.
    /// </remarks>
    public async IAsyncEnumerable<StoredObject> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Entries wait on the stack in reverse name order, so popping yields them in order and a folder's
        // contents come out before the names that sort after it.
        var stack = new Stack<(FileSystemInfo? Entry, string Key)>();
        stack.Push((new DirectoryInfo(_root), string.Empty));
        while (stack.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (entry, key) = stack.Pop();
            if (entry is FileInfo file)
            {
                yield return Describe(file, key);
                continue;
            }

            var folder = (DirectoryInfo)entry!;
            if (key.Length > 0 && folder.LinkTarget is not null)
            {
                yield return new StoredObject(key, 0, default, "A symbolic link to a folder is not followed (links can loop).");
                continue;
            }

            FileSystemInfo[] entries;
            string? error = null;
            try
            {
                entries = folder.GetFileSystemInfos();
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException or IOException or System.Security.SecurityException)
            {
                entries = [];
                error = "The folder cannot be listed: " + ex.Message;
            }

            if (error is not null)
            {
                yield return new StoredObject(key.Length == 0 ? "." : key, 0, default, error);
                continue;
            }

            Array.Sort(entries, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
            var prefix = key.Length == 0 ? string.Empty : key + "/";
            for (var i = entries.Length - 1; i >= 0; i--) stack.Push((entries[i], prefix + entries[i].Name));
            await Task.Yield();
        }
    }

    private static StoredObject Describe(FileInfo file, string key)
    {
        try
        {
            if (file.LinkTarget is not null)
            {
                var target = file.ResolveLinkTarget(returnFinalTarget: true);
                if (target is null || !target.Exists) return new StoredObject(key, 0, default, "A broken symbolic link.");
                file = new FileInfo(target.FullName);
                if (!file.Exists) return new StoredObject(key, 0, default, "A symbolic link to something that is not a file.");
            }

            return new StoredObject(key, file.Length, file.LastWriteTimeUtc);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            return new StoredObject(key, 0, default, "The file cannot be examined: " + ex.Message);
        }
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
