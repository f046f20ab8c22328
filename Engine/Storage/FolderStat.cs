using System.Runtime.InteropServices;
using System.Text;

namespace Nccid.Batch.Storage;

/// <summary>
/// Size and modification time of a folder's regular files, each by one <c>statx</c> relative to the open folder (Linux).
/// A status by full path makes the kernel look up every folder of the path again for every file, which was about 40 %
/// of listing a collection's deep folders. Anything but a regular file, and any error, is left to the caller's own
/// way (<see cref="TryStat"/> returns false), so links, special files and the wording of errors stay as they were.
/// </summary>
internal sealed class FolderStat : IDisposable
{
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const uint StatxMode = 0x2;
    private const uint StatxMtime = 0x40;
    private const uint StatxSize = 0x200;
    private const uint Wanted = StatxType | StatxMode | StatxMtime | StatxSize;
    private const int RegularFile = 0x8000;
    private const int FileTypeMask = 0xF000;
    private const int NoSuchCall = 38; // ENOSYS
    private const long MinUnixSeconds = -62_135_596_800; // 0001-01-01
    private const long MaxUnixSeconds = 253_402_300_799; // 9999-12-31T23:59:59

    // Cleared once statx is found missing (an old C library or kernel): every folder then takes the caller's way.
    private static volatile bool s_available = OperatingSystem.IsLinux();

    private readonly IntPtr _folder;
    private readonly int _descriptor;
    private readonly byte[] _status = new byte[256];
    private byte[] _name = new byte[256];

    private FolderStat(IntPtr folder, int descriptor)
    {
        _folder = folder;
        _descriptor = descriptor;
    }

    /// <summary>Opens <paramref name="path"/> for <see cref="TryStat"/>; null where that is not possible (not Linux, no statx, an error).</summary>
    public static FolderStat? Open(string path)
    {
        if (!s_available) return null;
        try
        {
            var folder = Native.opendir(path);
            if (folder == IntPtr.Zero) return null;
            var descriptor = Native.dirfd(folder);
            if (descriptor >= 0) return new FolderStat(folder, descriptor);
            _ = Native.closedir(folder);
            return null;
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            s_available = false;
            return null;
        }
    }

    /// <summary>
    /// The size and time (UTC, to the 100 ns tick, as <see cref="FileSystemInfo.LastWriteTimeUtc"/> gives them) of the
    /// regular file <paramref name="name"/> in this folder; false for anything else or on any error.
    /// </summary>
    public bool TryStat(ReadOnlySpan<char> name, out long length, out DateTime modifiedUtc)
    {
        length = 0;
        modifiedUtc = default;
        var bytes = Encoding.UTF8.GetMaxByteCount(name.Length) + 1;
        if (_name.Length < bytes) _name = new byte[Math.Max(bytes, _name.Length * 2)];
        var written = Encoding.UTF8.GetBytes(name, _name);
        _name[written] = 0;
        int result;
        try
        {
            result = Native.statx(_descriptor, _name, AtSymlinkNoFollow, Wanted, _status);
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

        var status = _status.AsSpan();
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

    /// <summary>Closes the folder.</summary>
    public void Dispose() => _ = Native.closedir(_folder);

    private static class Native
    {
#pragma warning disable SYSLIB1054 // LibraryImport's generated marshalling needs unsafe code, which the engine does not allow.
        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern IntPtr opendir([MarshalAs(UnmanagedType.LPUTF8Str)] string path);

        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int dirfd(IntPtr folder);

        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int closedir(IntPtr folder);

        // struct statx has one layout on every architecture, in the machine's byte order.
        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int statx(int folder, byte[] name, int flags, uint mask, [Out] byte[] status);
#pragma warning restore SYSLIB1054
    }
}
