using System.Text.Json;
using Nccid.Batch.Storage;
using Parquet;

namespace Nccid.Batch.Releases;

/// <summary>
/// The release's manifest: what it is, what made it, and every table's rows, schema and part files with their
/// SHA-256, so that a reader can verify a download and the engine can verify a release before publishing it.
/// </summary>
public static class ReleaseManifest
{
    /// <summary>The manifest's file name.</summary>
    public const string FileName = "manifest.json";

    /// <summary>One table's entry.</summary>
    /// <param name="Name">Table name (its folder).</param>
    /// <param name="Rows">Rows over all parts.</param>
    /// <param name="Columns">Column name, DuckDB type and nullability.</param>
    /// <param name="Files">Relative path, SHA-256 and size of each part.</param>
    public sealed record TableEntry(string Name, long Rows, IReadOnlyList<(string Name, string Type, bool Nullable)> Columns, IReadOnlyList<(string Path, string Sha256, long Bytes)> Files);

    /// <summary>Describes the table folder <paramref name="name"/> under <paramref name="releaseDirectory"/>.</summary>
    public static async Task<TableEntry> DescribeAsync(string releaseDirectory, string name, IReadOnlyList<Tables.TableColumn> columns, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(releaseDirectory, name);
        var parts = Directory.GetFiles(folder, "*.parquet");
        Array.Sort(parts, StringComparer.Ordinal);
        long rows = 0;
        var files = new List<(string, string, long)>();
        foreach (var part in parts)
        {
            rows += await CountRowsAsync(part, cancellationToken).ConfigureAwait(false);
            files.Add((name + "/" + Path.GetFileName(part), await FileHashes.Sha256Async(part, cancellationToken).ConfigureAwait(false), new FileInfo(part).Length));
        }

        return new TableEntry(name, rows, columns.Select(c => (c.Name, c.DuckDbTypeName, c.Nullable)).ToArray(), files);
    }

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
        JsonSerializer.Serialize(w, job, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase });
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
        var problems = new List<string>();
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(releaseDirectory, FileName), cancellationToken).ConfigureAwait(false));
        foreach (var table in document.RootElement.GetProperty("tables").EnumerateObject())
        {
            long rows = 0;
            foreach (var file in table.Value.GetProperty("files").EnumerateArray())
            {
                var relative = file.GetProperty("path").GetString()!;
                var full = Path.GetFullPath(Path.Combine(releaseDirectory, relative));
                if (!full.StartsWith(Path.GetFullPath(releaseDirectory), StringComparison.Ordinal) || !File.Exists(full))
                {
                    problems.Add($"{table.Name}: {relative} is missing.");
                    continue;
                }

                if (await FileHashes.Sha256Async(full, cancellationToken).ConfigureAwait(false) != file.GetProperty("sha256").GetString())
                {
                    problems.Add($"{table.Name}: {relative} does not match its SHA-256.");
                }

                rows += await CountRowsAsync(full, cancellationToken).ConfigureAwait(false);
            }

            if (rows != table.Value.GetProperty("rows").GetInt64()) problems.Add($"{table.Name}: {rows} rows on disk, {table.Value.GetProperty("rows").GetInt64()} in the manifest.");
        }

        return problems;
    }
}
