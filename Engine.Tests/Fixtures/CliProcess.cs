using System.Diagnostics;
using System.Text;

namespace Nccid.Batch.Tests.Fixtures;

/// <summary>
/// The real nccid-batch program (the engine assembly the tests are built against), run as a child process with
/// <c>dotnet</c>: for what only a process shows, being killed, its exit code, what it prints.
/// </summary>
public static class CliProcess
{
    /// <summary>What a finished run printed, and its exit code.</summary>
    public sealed record Output(int ExitCode, string Stdout, string Stderr);

    /// <summary>The engine assembly beside the test assembly.</summary>
    public static string EngineDll
    {
        get
        {
            var dll = Path.Combine(AppContext.BaseDirectory, "nccid-batch.dll");
            if (!File.Exists(dll) || !File.Exists(Path.ChangeExtension(dll, ".runtimeconfig.json")))
            {
                throw new InvalidOperationException($"{dll} (with its runtimeconfig.json) is missing: build Engine.Tests, which references the engine.");
            }

            return dll;
        }
    }

    /// <summary>The dotnet host that runs the tests (the SDK sets DOTNET_HOST_PATH), else dotnet from PATH.</summary>
    public static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>A start description of <c>dotnet nccid-batch.dll <paramref name="arguments"/></c> with output redirected.</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(DotnetHost)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(EngineDll);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        if (environment is not null)
        {
            foreach (var (name, value) in environment) start.Environment[name] = value;
        }

        return start;
    }

    /// <summary>Runs the program to its end; fails when it does not finish within <paramref name="timeout"/>.</summary>
    public static Output Run(IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = StartInfo(arguments, workingDirectory, environment);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start " + start.FileName);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"nccid-batch {string.Join(' ', start.ArgumentList.Skip(1))} did not finish within {timeout}.");
        }

        process.WaitForExit();
        return new Output(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }
}
