using System.Runtime.InteropServices;

namespace Nccid.Batch.Storage;

/// <summary>
/// Gives a finished file that is never written again (a published table part, an index segment) a second name in a
/// new output: a hard link where the file system has them, so an output that takes a file over writes none of its
/// bytes and stores it once; otherwise a copy, made durable under a hidden name and then renamed.
/// </summary>
public static class FileLinks
{
    // Cleared on the first platform without link(2), so that every later call goes straight to the copy.
    private static volatile bool s_linkAvailable = !OperatingSystem.IsWindows();

    /// <summary>
    /// Makes <paramref name="target"/> (which must not exist) name <paramref name="source"/>'s contents: a hard link,
    /// or a durable copy where a link cannot be made (another file system, one without links, too many links).
    /// </summary>
    /// <returns>True when linked, false when copied.</returns>
    /// <exception cref="IOException">The target exists, or the copy failed (the message names the file).</exception>
    public static bool LinkOrCopy(string source, string target)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentException.ThrowIfNullOrEmpty(target);
        if (TryLink(source, target)) return true;
        // Whatever refused the link (a missing source, an existing target) is reported by the copy, in .NET's terms.
        Copy(source, target);
        return false;
    }

    private static bool TryLink(string source, string target)
    {
        if (!s_linkAvailable) return false;
        try
        {
            return Native.link(source, target) == 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            s_linkAvailable = false;
            return false;
        }
    }

    private static void Copy(string source, string target)
    {
        if (File.Exists(target)) throw new IOException($"'{target}' already exists.");
        // Copied under a hidden name and renamed once durable, so that a crash never leaves a truncated file named as done.
        var temp = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(target))!, "." + Path.GetFileName(target) + ".copying");
        try
        {
            using (var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
            using (var output = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                input.CopyTo(output);
                output.Flush(flushToDisk: true);
            }

            File.Move(temp, target, overwrite: false);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static class Native
    {
        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
#pragma warning disable SYSLIB1054 // LibraryImport's generated marshalling needs unsafe code, which the engine does not allow.
        internal static extern int link([MarshalAs(UnmanagedType.LPUTF8Str)] string oldPath, [MarshalAs(UnmanagedType.LPUTF8Str)] string newPath);
#pragma warning restore SYSLIB1054
    }
}
