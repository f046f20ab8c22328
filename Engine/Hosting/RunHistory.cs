using System.Text;
using System.Text.Json;

namespace Nccid.Batch.Hosting;

/// <summary>
/// The append-only run history: one JSON object per line in <c>&lt;state&gt;/runs.jsonl</c>. Each line is written with
/// one write and a flush to disk, so a crash leaves whole lines (at worst a torn last line, which readers skip).
/// </summary>
public sealed class RunHistory
{
    /// <summary>The history file's name inside the state folder.</summary>
    public const string FileName = "runs.jsonl";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
    private readonly Lock _gate = new();

    /// <summary>Creates the history kept in <paramref name="stateFolder"/>.</summary>
    public RunHistory(string stateFolder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stateFolder);
        FilePath = Path.Combine(Path.GetFullPath(stateFolder), FileName);
    }

    /// <summary>The history file.</summary>
    public string FilePath { get; }

    /// <summary>Appends <paramref name="record"/> as one line.</summary>
    public void Append(RunRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var line = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(record, Json) + "\n");
        lock (_gate)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
            using var stream = new FileStream(FilePath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            stream.Write(line);
            stream.Flush(flushToDisk: true);
        }
    }

    /// <summary>Every recorded run, oldest first; unreadable lines (a torn last line) are skipped.</summary>
    public IReadOnlyList<RunRecord> ReadAll()
    {
        if (!File.Exists(FilePath)) return [];
        var records = new List<RunRecord>();
        using var stream = new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0) continue;
            try
            {
                if (JsonSerializer.Deserialize<RunRecord>(line, Json) is { } record) records.Add(record);
            }
            catch (JsonException)
            {
                // A line cut short by a crash mid-write: the run it describes is not known to have ended.
            }
        }

        return records;
    }

    /// <summary>When <paramref name="job"/> last started a run, or null when it never ran.</summary>
    public DateTimeOffset? LastStart(string job)
    {
        DateTimeOffset? last = null;
        foreach (var record in ReadAll())
        {
            if (record.Job == job && (last is null || record.StartedUtc > last)) last = record.StartedUtc;
        }

        return last;
    }
}
