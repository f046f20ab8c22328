using System.Runtime.InteropServices;

namespace Nccid.Batch.Cli;

/// <summary>
/// Keeps glibc's malloc from holding freed memory. glibc gives threads up to eight arenas per core and returns the free
/// pages inside an arena to the system only when they are at its top. Over a long run the native allocations of the
/// engine and the runtime (zlib streams, hash contexts, compiled code's scratch) leave most of them in the middle:
/// at a million files 15 arenas held about 50 MiB, nearly all of it free (docs/performance.md, "Memory the C library
/// kept").
/// </summary>
internal static class NativeHeap
{
    /// <summary>The arenas allowed to threads created from now on, unless MALLOC_ARENA_MAX is set.</summary>
    public const int Arenas = 2;

    /// <summary>How often free pages are returned to the system.</summary>
    public static readonly TimeSpan TrimInterval = TimeSpan.FromSeconds(1);

    // mallopt's parameter for the arena limit (malloc.h).
    private const int MArenaMax = -8;

    private static Timer? _trimmer;

    /// <summary>
    /// Limits the arenas and starts returning free pages every <see cref="TrimInterval"/>. Does nothing where the C
    /// library is not glibc on Linux; false then.
    /// </summary>
    public static bool Start()
    {
        if (!OperatingSystem.IsLinux() || _trimmer is not null || !TryTrim(out _))
        {
            return _trimmer is not null;
        }

        // Set in the environment, the operator's limit holds from the first thread on; ours only from now on.
        if (Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is null)
        {
            Native.mallopt(MArenaMax, Arenas);
        }

        _trimmer = new Timer(TrimNow, null, TrimInterval, TrimInterval);
        return true;
    }

    /// <summary>
    /// Returns every arena's free pages to the system now (malloc_trim). False where there is no glibc;
    /// <paramref name="released"/> is whether any memory was returned.
    /// </summary>
    public static bool TryTrim(out bool released)
    {
        released = false;
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            released = Native.malloc_trim(0) == 1;
            return true;
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    private static void TrimNow(object? state) => TryTrim(out _);

    private static class Native
    {
#pragma warning disable SYSLIB1054 // LibraryImport's generated marshalling needs unsafe code, which the engine does not allow.
        [DllImport("libc")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int mallopt(int parameter, int value);

        [DllImport("libc")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int malloc_trim(nuint pad);
#pragma warning restore SYSLIB1054
    }
}
