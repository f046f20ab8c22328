using System.Text;
using System.Text.RegularExpressions;

namespace Nccid.Batch.Tests.Fixtures;

/// <summary>
/// dcmtk's reading of a conformance file: dcmdump is run on it and its dump parsed. Top-level data set lines
/// (no indentation) before Pixel Data are counted and the compared elements taken from them; the Transfer
/// Syntax UID comes from the meta information section. A non-zero exit code or an "E:"/"F:" line is a rejection.
/// </summary>
public static partial class DcmdumpReference
{
    public const string Program = "/usr/bin/dcmdump";

    /// <summary>
    /// -Un prints UID numbers instead of names, +L long values in full, -M leaves pixel data unloaded (it is not
    /// compared). The structure and the raw values come from this run.
    /// </summary>
    private static readonly string[] Options = ["-Un", "+L", "-M"];

    /// <summary>
    /// +U8 converts text by the Specific Character Set to UTF-8. It also rewrites (0008,0005) to ISO_IR 192,
    /// inserting it when absent, so only the decoded Patient's Name is taken from this second run.
    /// </summary>
    private static readonly string[] DecodingOptions = ["-Un", "+L", "-M", "+U8"];

    private static readonly Dictionary<string, string> FieldByTag = new(StringComparer.Ordinal)
    {
        ["0008,0016"] = "sopClass",
        ["0008,0018"] = "sopInstance",
        ["0020,000d"] = "study",
        ["0020,000e"] = "series",
        ["0008,0060"] = "modality",
        ["0010,0020"] = "patientId",
        ["0008,0020"] = "studyDate",
        ["0008,0021"] = "seriesDate",
        ["0028,0010"] = "rows",
        ["0028,0011"] = "columns",
        ["0008,0005"] = "charset",
        ["0010,0010"] = "patientName",
    };

    /// <summary>dcmdump's reading of <paramref name="name"/>, a path relative to the test file folder.</summary>
    public static ConformanceReading Read(string name)
    {
        var raw = ToolProcess.Run(Program, [.. Options, name], PublicDicomFiles.Folder, TimeSpan.FromMinutes(1));
        var problem = Problem(raw);
        if (problem is not null) return ConformanceReading.Rejection(problem);

        // Latin-1 keeps every byte of the undecoded values as one character.
        var reading = Parse(Encoding.Latin1.GetString(raw.Stdout));
        var decoded = ToolProcess.Run(Program, [.. DecodingOptions, name], PublicDicomFiles.Folder, TimeSpan.FromMinutes(1));
        if (Problem(decoded) is not null)
        {
            // dcmtk's iconv cannot convert some ISO 2022 character sets (e.g. ISO 2022 IR 87): the file is fine,
            // the conversion is not available, and the name stays as the raw bytes of the first run.
            if (decoded.Stderr.Contains("converting file to UTF-8", StringComparison.Ordinal)) return reading;
            throw new InvalidOperationException($"dcmdump +U8 failed on {name}, which it read without +U8: {decoded.Stderr}");
        }

        var fields = new Dictionary<string, string?>(reading.Fields, StringComparer.Ordinal)
        {
            ["patientName"] = Parse(Encoding.UTF8.GetString(decoded.Stdout)).Get("patientName"),
        };
        return reading with { Fields = fields };
    }

    private static string? Problem(ToolProcess.Output output)
    {
        var line = output.Stderr.Split('\n').FirstOrDefault(l => l.StartsWith("E:", StringComparison.Ordinal) || l.StartsWith("F:", StringComparison.Ordinal));
        return line ?? (output.ExitCode != 0 ? $"dcmdump exited with code {output.ExitCode}" : null);
    }

    /// <summary>Reads the compared fields out of a dcmdump listing.</summary>
    public static ConformanceReading Parse(string dump)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var field in ConformanceReading.FieldNames) fields[field] = null;
        var section = "";
        var topLevel = 0;
        var stopped = false;
        foreach (var raw in dump.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("# Dicom-", StringComparison.Ordinal))
            {
                section = line;
                continue;
            }

            var start = TopLevelTag().Match(line);
            if (!start.Success) continue;
            var tag = start.Groups["tag"].Value;
            var inMeta = section.StartsWith("# Dicom-Meta-Information-Header", StringComparison.Ordinal);
            if (inMeta)
            {
                if (tag == "0002,0010") fields["transferSyntax"] = Value(line);
                continue;
            }

            if (stopped || tag.StartsWith("fffe,", StringComparison.Ordinal)) continue;
            if (tag is "7fe0,0010" or "7fe0,0008" or "7fe0,0009")
            {
                stopped = true;
                continue;
            }

            topLevel++;
            if (FieldByTag.TryGetValue(tag, out var field) && fields[field] is null) fields[field] = Value(line);
        }

        fields["topLevelCount"] = topLevel.ToString(System.Globalization.CultureInfo.InvariantCulture);
        fields.Remove("status");
        return new ConformanceReading(true, null, fields);
    }

    /// <summary>The value of one dump line: the text in brackets, "" for no value, else the printed numbers.</summary>
    private static string Value(string line)
    {
        var match = ElementLine().Match(line);
        if (!match.Success) throw new InvalidOperationException($"Unparsed dcmdump line: {line}");
        var value = match.Groups["value"].Value;
        if (value == "(no value available)") return "";
        if (value.Length >= 2 && value[0] == '[' && value[^1] == ']') return value[1..^1];
        return value;
    }

    [GeneratedRegex(@"^\((?<tag>[0-9a-f]{4},[0-9a-f]{4})\) ")]
    private static partial Regex TopLevelTag();

    [GeneratedRegex(@"^ *\([0-9a-f]{4},[0-9a-f]{4}\) (?<vr>\S\S) (?<value>.*?) *# *(?:\d+|u/l), \d+ \S+$")]
    private static partial Regex ElementLine();
}
