using System.Diagnostics;
using Nccid.Batch.Hosting;

namespace Nccid.Batch.Tests.Fixtures;

/// <summary>Runs the built engine (<c>dotnet Engine/bin/Release/net10.0/nccid-batch.dll</c>) as a process of its own.</summary>
public static class EngineProcess
{
    /// <summary>The built engine; the solution is built in Release before the tests (scripts/test.sh does).</summary>
    public static string Dll()
    {
        var dll = Path.Combine(RepositoryRoot.Find(), "Engine", "bin", "Release", "net10.0", "nccid-batch.dll");
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} is missing: build the solution in Release first (scripts/test.sh does).");
    }

    /// <summary>Starts the engine with <paramref name="arguments"/>, its output redirected, without the cluster's environment variable.</summary>
    public static Process Start(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Dll());
        foreach (var a in arguments) start.ArgumentList.Add(a);
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment.Remove(ClusterOptions.ConnectionVariable);
        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
    }

    /// <summary>Runs the engine to its end (at most <paramref name="timeout"/>) and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IEnumerable<string> arguments, TimeSpan timeout)
    {
        using var process = Start(arguments);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancel.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
