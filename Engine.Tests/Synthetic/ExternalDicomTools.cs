using System.Diagnostics;

namespace Nccid.Batch.Tests.Synthetic;

/// <summary>Runs Debian's dcmtk and pydicom on files, so tests check our bytes against independent readers.</summary>
internal static class ExternalDicomTools
{
    public const string Python = "/usr/bin/python3";

    public static (int ExitCode, string Output) Dcmdump(string path) => Run("dcmdump", ["-M", path]);

    /// <summary>Prints PatientID and SOPInstanceUID (one per line) as pydicom reads them.</summary>
    public static (int ExitCode, string Output) PydicomIdentifiers(string path) => Run(Python,
    [
        "-c",
        "import pydicom,sys; d=pydicom.dcmread(sys.argv[1]); print(d.PatientID); print(d.SOPInstanceUID)",
        path,
    ]);

    public static (int ExitCode, string Output) PythonScript(string script, params string[] arguments)
    {
        var all = new List<string> { "-c", script };
        all.AddRange(arguments);
        return Run(Python, all);
    }

    private static (int ExitCode, string Output) Run(string program, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.GetAwaiter().GetResult());
    }
}
