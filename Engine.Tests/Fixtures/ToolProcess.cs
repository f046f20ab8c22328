using System.Diagnostics;
using System.Text;

namespace Nccid.Batch.Tests.Fixtures;

/// <summary>Runs an external reference tool and captures what it printed.</summary>
public static class ToolProcess
{
    /// <summary>What a finished tool printed, and its exit code.</summary>
    public sealed record Output(int ExitCode, byte[] Stdout, string Stderr);

    /// <summary>Runs <paramref name="program"/> with <paramref name="arguments"/> in <paramref name="workingDirectory"/>; fails when it is missing or hangs.</summary>
    public static Output Run(string program, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout)
    {
        if (!File.Exists(program))
        {
            throw new InvalidOperationException($"{program} is missing. Install Debian's dcmtk and python3-pydicom (see docs/conformance.md).");
        }

        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);

        // Fixed locale and no user Python site: the references must not depend on who runs the tests.
        start.Environment["LC_ALL"] = "C.UTF-8";
        start.Environment["PYTHONNOUSERSITE"] = "1";
        start.Environment["PYTHONIOENCODING"] = "utf-8";

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        using var stdout = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', start.ArgumentList)} did not finish within {timeout}.");
        }

        copy.GetAwaiter().GetResult();
        return new Output(process.ExitCode, stdout.ToArray(), stderr.GetAwaiter().GetResult());
    }
}
