using System.Runtime.InteropServices;
using System.Text;

namespace Nccid.Batch.Storage;

/// <summary>
/// Size and modification time of a folder's regular files, each by one <c>statx</c> relative to the folder (Linux).
/// A status by full path makes the kernel look up every folder of the path again for every file, which was about 40 %
/// of listing a collection's deep folders. The folder is opened (<c>O_PATH</c>: one call, nothing read) at its first
/// regular file, so folders of folders cost nothing more. Anything but a regular file, and any error, is left to the
/// caller's own way (<see cref="TryStat"/> returns false), so links, special files and the wording of errors stay as
/// they were. One thread at a time.
/// </summary>
internal sealed class FolderStat(string path) : IDisposable
{
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const uint StatxMode = 0x2;
    private const uint StatxMtime = 0x40;
    private const uint StatxSize = 0x200;
    private const uint Wanted = StatxType | StatxMode | StatxMtime | StatxSize;
    private const int RegularFile = 0x8000;
    private const int FileTypeMask = 0xF000;
    // O_PATH | O_CLOEXEC, the same on every architecture .NET runs Linux on.
    private const int OpenPathOnly = 0x200000 | 0x80000;
    private const int NoSuchCall = 38; // ENOSYS
    private const long MinUnixSeconds = -62_135_596_800; // 0001-01-01
    private const long MaxUnixSeconds = 253_402_300_799; // 9999-12-31T23:59:59

    // Cleared once statx is found missing (an old C library or kernel): every folder then takes the caller's way.
    private static volatile bool s_available = OperatingSystem.IsLinux();

    // A folder is read on one thread, so buffers are kept per thread, not per folder.
    [ThreadStatic]
    private static byte[]? t_status;

    [ThreadStatic]
    private static byte[]? t_name;

    private int _descriptor = -1;
    private bool _failed;

    /// <summary>Whether this platform may take the folder-relative way at all.</summary>
    public static bool Available => s_available;

    /// <summary>
    /// The size and time (UTC, to the 100 ns tick, as <see cref="FileSystemInfo.LastWriteTimeUtc"/> gives them) of the
    /// regular file <paramref name="name"/> in this folder; false for anything else or on any error.
    /// </summary>
    public bool TryStat(ReadOnlySpan<char> name, out long length, out DateTime modifiedUtc)
    {
        length = 0;
        modifiedUtc = default;
        if (!s_available || (_descriptor < 0 && !Open())) return false;
        var bytes = Encoding.UTF8.GetMaxByteCount(name.Length) + 1;
        var buffer = t_name is { } kept && kept.Length >= bytes ? kept : t_name = new byte[Math.Max(bytes, 256)];
        var written = Encoding.UTF8.GetBytes(name, buffer);
        buffer[written] = 0;
        var statusBuffer = t_status ??= new byte[256];
        int result;
        try
        {
            result = Native.statx(_descriptor, buffer, AtSymlinkNoFollow, Wanted, statusBuffer);
        }
        catch (EntryPointNotFoundException)
        {
            s_available = false;
            return false;
        }

        if (result != 0)
        {
            if (Marshal.GetLastPInvokeError() == NoSuchCall) s_available = false;
            return false;
        }

        var status = statusBuffer.AsSpan();
        var mask = MemoryMarshal.Read<uint>(status);
        var mode = MemoryMarshal.Read<ushort>(status[28..]);
        if ((mask & Wanted) != Wanted || (mode & FileTypeMask) != RegularFile) return false;
        var size = MemoryMarshal.Read<long>(status[40..]);
        var seconds = MemoryMarshal.Read<long>(status[112..]);
        var nanoseconds = MemoryMarshal.Read<uint>(status[120..]);
        if (size < 0 || seconds is < MinUnixSeconds or > MaxUnixSeconds || nanoseconds >= 1_000_000_000) return false;
        length = size;
        modifiedUtc = DateTime.UnixEpoch.AddTicks(seconds * TimeSpan.TicksPerSecond + nanoseconds / 100);
        return true;
    }

    /// <summary>Closes the folder, if it was opened.</summary>
    public void Dispose()
    {
        if (_descriptor >= 0) _ = Native.close(_descriptor);
        _descriptor = -1;
    }

    private bool Open()
    {
        if (_failed) return false;
        try
        {
            _descriptor = Native.open(path, OpenPathOnly);
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            s_available = false;
        }

        _failed = _descriptor < 0;
        return !_failed;
    }

    private static class Native
    {
#pragma warning disable SYSLIB1054 // LibraryImport's generated marshalling needs unsafe code, which the engine does not allow.
        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int close(int descriptor);

        // struct statx has one layout on every architecture, in the machine's byte order.
        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int statx(int folder, byte[] name, int flags, uint mask, [Out] byte[] status);
#pragma warning restore SYSLIB1054
    }
}
