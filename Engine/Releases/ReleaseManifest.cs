using System.Text.Json;
using Nccid.Batch.Index;
using Nccid.Batch.Storage;
using Parquet;

namespace Nccid.Batch.Releases;

/// <summary>
/// The release's manifest: what it is, what made it, and every table's rows, schema and part files with their
/// SHA-256, so that a reader can verify a download and the engine can verify a release before publishing it.
/// </summary>
public static class ReleaseManifest
{
    internal static readonly JsonSerializerOptions JobJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase, TypeInfoResolver = IndexJson.Generated(ReleaseJsonContext.Default),
    };

    /// <summary>The manifest's file name.</summary>
    public const string FileName = "manifest.json";

    /// <summary>One table's entry.</summary>
    /// <param name="Name">Table name (its folder).</param>
    /// <param name="Rows">Rows over all parts.</param>
    /// <param name="Columns">Column name, DuckDB type and nullability.</param>
    /// <param name="Files">Relative path, SHA-256 and size of each part.</param>
    public sealed record TableEntry(string Name, long Rows, IReadOnlyList<(string Name, string Type, bool Nullable)> Columns, IReadOnlyList<(string Path, string Sha256, long Bytes)> Files);

    /// <summary>
    /// Describes the table folders <paramref name="tables"/> under <paramref name="releaseDirectory"/>, in their order.
    /// The parts are hashed and their footers read a core each: the release waits on this, and on one core it was most
    /// of the manifest's phase in a release that changed little.
    /// </summary>
    public static async Task<IReadOnlyList<TableEntry>> DescribeAllAsync(string releaseDirectory, IReadOnlyList<(string Name, IReadOnlyList<Tables.TableColumn> Columns)> tables,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var parts = tables.Select(t =>
        {
            var files = Directory.GetFiles(Path.Combine(releaseDirectory, t.Name), "*.parquet");
            Array.Sort(files, StringComparer.Ordinal);
            return files;
        }).ToArray();
        var all = parts.SelectMany(files => files).ToArray();
        var described = new (long Rows, string Sha256, long Bytes)[all.Length];
        await ForEachPartAsync(all.Length, async (i, ct) =>
            described[i] = (await CountRowsAsync(all[i], ct).ConfigureAwait(false), await FileHashes.Sha256Async(all[i], ct).ConfigureAwait(false), new FileInfo(all[i]).Length),
            cancellationToken).ConfigureAwait(false);
        var entries = new List<TableEntry>(tables.Count);
        var next = 0;
        for (var t = 0; t < tables.Count; t++)
        {
            var (name, columns) = tables[t];
            var files = new List<(string, string, long)>(parts[t].Length);
            long rows = 0;
            foreach (var part in parts[t])
            {
                var (partRows, sha256, bytes) = described[next++];
                rows += partRows;
                files.Add((name + "/" + Path.GetFileName(part), sha256, bytes));
            }

            entries.Add(new TableEntry(name, rows, columns.Select(c => (c.Name, c.DuckDbTypeName, c.Nullable)).ToArray(), files));
        }

        return entries;
    }

    /// <summary>Runs <paramref name="body"/> for parts 0 to <paramref name="count"/> - 1, as many at once as there are cores.</summary>
    private static Task ForEachPartAsync(int count, Func<int, CancellationToken, ValueTask> body, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken }, body);

    /// <summary>Rows in one part file, from its footer.</summary>
    public static async Task<long> CountRowsAsync(string part, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(part);
        await using var reader = await ParquetReader.CreateAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        return reader.Metadata?.NumRows ?? 0;
    }

    /// <summary>
    /// The part files a published release's manifest lists, by path relative to the release ("table/part-00000.parquet");
    /// empty when the manifest cannot be read, so that nothing of such a release is trusted.
    /// </summary>
    public static IReadOnlyDictionary<string, Tables.PublishedPart> PublishedParts(string releaseDirectory)
    {
        var parts = new Dictionary<string, Tables.PublishedPart>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(releaseDirectory, FileName)));
            foreach (var table in document.RootElement.GetProperty("tables").EnumerateObject())
            {
                foreach (var file in table.Value.GetProperty("files").EnumerateArray())
                {
                    parts[file.GetProperty("path").GetString()!] = new Tables.PublishedPart(file.GetProperty("sha256").GetString()!, file.GetProperty("bytes").GetInt64());
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            parts.Clear();
        }

        return parts;
    }

    /// <summary>Writes the manifest. Only here does the wall-clock time of the release appear.</summary>
    public static void Write(string path, string releaseId, ReleaseJob job, string jobSha256, string engineVersion, DateTimeOffset createdUtc,
        IReadOnlyDictionary<string, long> inputCounts, IReadOnlyList<TableEntry> tables)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(tables);
        using var stream = File.Create(path);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("release_id", releaseId);
        w.WriteString("created_utc", createdUtc.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
        w.WriteString("engine_version", engineVersion);
        w.WritePropertyName("job");
        JsonSerializer.Serialize(w, job, JobJson);
        w.WriteString("job_sha256", jobSha256);
        w.WriteStartObject("inputs");
        foreach (var (key, value) in inputCounts.OrderBy(kv => kv.Key, StringComparer.Ordinal)) w.WriteNumber(key, value);
        w.WriteEndObject();
        w.WriteStartObject("tables");
        foreach (var table in tables.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            w.WriteStartObject(table.Name);
            w.WriteNumber("rows", table.Rows);
            w.WriteStartArray("schema");
            foreach (var (name, type, nullable) in table.Columns)
            {
                w.WriteStartObject();
                w.WriteString("name", name);
                w.WriteString("type", type);
                w.WriteBoolean("nullable", nullable);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("files");
            foreach (var (file, sha, bytes) in table.Files)
            {
                w.WriteStartObject();
                w.WriteString("path", file);
                w.WriteString("sha256", sha);
                w.WriteNumber("bytes", bytes);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>
    /// Re-reads every part the manifest lists and compares its checksum and row count; returns the problems (none
    /// means the release on disk is exactly what the manifest says).
    /// </summary>
    public static async Task<IReadOnlyList<string>> VerifyAsync(string releaseDirectory, CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(releaseDirectory, FileName), cancellationToken).ConfigureAwait(false));
        var root = Path.GetFullPath(releaseDirectory);
        var tables = document.RootElement.GetProperty("tables").EnumerateObject().Select(table => (table.Name, Rows: table.Value.GetProperty("rows").GetInt64(),
            Files: table.Value.GetProperty("files").EnumerateArray().Select(file => (Relative: file.GetProperty("path").GetString()!, Sha256: file.GetProperty("sha256").GetString())).ToArray())).ToArray();
        var all = tables.SelectMany(t => t.Files.Select(f => (Table: t.Name, f.Relative, f.Sha256, Full: Path.GetFullPath(Path.Combine(releaseDirectory, f.Relative))))).ToArray();
        // Each part's rows (null when it is missing) and its problem, read a core each, then reported in the manifest's order.
        var found = new (long? Rows, string? Problem)[all.Length];
        await ForEachPartAsync(all.Length, async (i, ct) =>
        {
            var (table, relative, sha256, full) = all[i];
            if (!full.StartsWith(root, StringComparison.Ordinal) || !File.Exists(full))
            {
                found[i] = (null, $"{table}: {relative} is missing.");
                return;
            }

            var problem = await FileHashes.Sha256Async(full, ct).ConfigureAwait(false) != sha256 ? $"{table}: {relative} does not match its SHA-256." : null;
            found[i] = (await CountRowsAsync(full, ct).ConfigureAwait(false), problem);
        }, cancellationToken).ConfigureAwait(false);

        var problems = new List<string>();
        var next = 0;
        foreach (var (name, expected, files) in tables)
        {
            long rows = 0;
            foreach (var _ in files)
            {
                var (partRows, problem) = found[next++];
                if (problem is not null) problems.Add(problem);
                rows += partRows ?? 0;
            }

            if (rows != expected) problems.Add($"{name}: {rows} rows on disk, {expected} in the manifest.");
        }

        return problems;
    }
}
