using System.Text;

namespace Nccid.Batch.Tests.Fixtures;

/// <summary>Which stored file a path names (device and inode, from coreutils' <c>stat</c>): equal for hard links of one file.</summary>
public static class FileIdentity
{
    /// <summary>"device:inode" of each path, in order.</summary>
    public static string[] Of(params string[] paths)
    {
        if (paths.Length == 0) return [];
        var output = ToolProcess.Run("/usr/bin/stat", ["-c", "%d:%i", .. paths], Path.GetTempPath(), TimeSpan.FromSeconds(30));
        if (output.ExitCode != 0) throw new InvalidOperationException($"stat exited {output.ExitCode}: {output.Stderr}");
        var lines = Encoding.UTF8.GetString(output.Stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length != paths.Length) throw new InvalidOperationException($"stat printed {lines.Length} lines for {paths.Length} paths.");
        return lines;
    }
}
