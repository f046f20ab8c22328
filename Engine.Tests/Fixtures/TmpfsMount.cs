using System.Diagnostics;

namespace Nccid.Batch.Tests.Fixtures;

/// <summary>
/// A small tmpfs mounted on a fresh folder for one test: a real file system that fills up, and that can be made
/// read-only. Mounting needs root (CI and the development machines run as root); anywhere else the test fails with
/// a message that says so rather than being skipped.
/// </summary>
public sealed class TmpfsMount : IDisposable
{
    /// <summary>Mounts a tmpfs of <paramref name="bytes"/> on a new folder under the system temp folder.</summary>
    public TmpfsMount(long bytes)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "nccid-tmpfs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
        var (code, error) = Run("mount", "-t", "tmpfs", "-o", FormattableString.Invariant($"size={bytes},mode=0755"), "tmpfs", Path);
        if (code != 0)
        {
            Directory.Delete(Path);
            throw new InvalidOperationException(
                $"Could not mount a tmpfs on {Path} (mount exited {code}: {error.Trim()}). These tests need root, as CI runs, to mount a small file system.");
        }
    }

    /// <summary>Where the file system is mounted.</summary>
    public string Path { get; }

    /// <summary>Free bytes on the file system.</summary>
    public long FreeBytes => new DriveInfo(Path).AvailableFreeSpace;

    /// <summary>Remounts the file system read-only: every write fails with EROFS, for root too.</summary>
    public void MakeReadOnly()
    {
        var (code, error) = Run("mount", "-o", "remount,ro", Path);
        if (code != 0) throw new InvalidOperationException($"Could not remount {Path} read-only: {error}");
    }

    /// <summary>Writes a file of zeros that leaves <paramref name="free"/> bytes (rounded to pages) free.</summary>
    public void FillLeaving(long free)
    {
        var fill = Math.Max(0, FreeBytes - free);
        using var stream = new FileStream(System.IO.Path.Combine(Path, "filler"), FileMode.Create, FileAccess.Write);
        var block = new byte[1 << 16];
        for (long written = 0; written < fill; written += block.Length) stream.Write(block, 0, (int)Math.Min(block.Length, fill - written));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // Lazy: a process of the test that still holds a file must not keep the mount (or the test) alive.
        Run("umount", "-l", Path);
        Directory.Delete(Path, recursive: true);
    }

    private static (int Code, string Error) Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, error);
    }
}
