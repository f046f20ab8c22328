using System.Globalization;
using System.Text.Json;

namespace Nccid.Batch.Tests.Fixtures;

/// <summary>
/// pydicom's reading of the conformance files, computed once per test run by scripts/conformance-reference.py
/// with Debian's /usr/bin/python3 (the interpreter that has python3-pydicom).
/// </summary>
public static class PydicomReference
{
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<IReadOnlyDictionary<string, ConformanceReading>> Readings = new(ReadAll);

    /// <summary>pydicom's reading of <paramref name="name"/>, a path relative to the test file folder.</summary>
    public static ConformanceReading Read(string name) =>
        Readings.Value.TryGetValue(name, out var reading)
            ? reading
            : throw new InvalidOperationException($"scripts/conformance-reference.py printed no line for {name}.");

    private static Dictionary<string, ConformanceReading> ReadAll()
    {
        var names = PublicDicomFiles.ConformanceNames();
        var arguments = new List<string> { RepositoryPaths.File("scripts/conformance-reference.py") };
        arguments.AddRange(names);
        var output = ToolProcess.Run(Python, arguments, PublicDicomFiles.Folder, TimeSpan.FromMinutes(5));
        if (output.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/conformance-reference.py failed ({output.ExitCode}): {output.Stderr}");
        }

        var result = new Dictionary<string, ConformanceReading>(StringComparer.Ordinal);
        foreach (var line in System.Text.Encoding.UTF8.GetString(output.Stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            var file = root.GetProperty("file").GetString()!;
            if (!root.GetProperty("ok").GetBoolean())
            {
                result[file] = ConformanceReading.Rejection(root.GetProperty("error").GetString() ?? "error");
                continue;
            }

            var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var field in ConformanceReading.FieldNames)
            {
                if (field == "status") continue;
                fields[field] = root.TryGetProperty(field, out var value) ? AsText(value) : null;
            }

            result[file] = new ConformanceReading(true, null, fields);
        }

        return result;
    }

    private static string? AsText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetInt64().ToString(CultureInfo.InvariantCulture),
        JsonValueKind.Array => string.Join('\\', value.EnumerateArray().Select(v => v.GetString())),
        _ => throw new InvalidOperationException($"Unexpected JSON value {value}."),
    };
}
