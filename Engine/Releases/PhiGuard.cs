using System.Globalization;
using System.Text;
using System.Text.Json;
using Nccid.Batch.Audit;
using Nccid.Batch.Storage;
using Nccid.Batch.Tables;
using Parquet;
using Parquet.Schema;

namespace Nccid.Batch.Releases;

/// <summary>
/// The last check before a release is published: no table may carry an attribute the audit profile requires
/// removing (<see cref="RemovedAttributes"/>), whatever the audit's rule switches did, unless the job lists it in
/// <c>allowAttributes</c>. It reads the staged Parquet files themselves: every column named after such an attribute
/// (by keyword, as in <c>instances</c>, or in snake_case, as in <c>studies.study_description</c>) must hold no
/// value, and no header_json may hold the attribute's tag, at any depth. Values are never copied into the result.
/// </summary>
public static class PhiGuard
{
    private const string HeaderJsonColumn = "header_json";

    /// <summary>
    /// Every table column and header_json attribute of the release in <paramref name="releaseDirectory"/> that holds
    /// an attribute to remove, as "<c>table.column holds N values of Keyword (gggg,eeee), which ... (action)</c>"; empty when none.
    /// </summary>
    /// <param name="releaseDirectory">The staged release.</param>
    /// <param name="profile">The audit profile, which says what must be removed.</param>
    /// <param name="allowed">Keywords the job allows.</param>
    /// <param name="cancellationToken">Stops the check.</param>
    /// <param name="cacheFile">
    /// Where the tags found in each part's header_json are kept between runs, by the part's SHA-256 and the profile's
    /// rules (null: no cache). A part taken over from the previous release is then not read again.
    /// </param>
    /// <param name="partSha256">
    /// The SHA-256 of parts already hashed (as the manifest lists them), by path relative to the release
    /// ("table/part-00000.parquet"); other parts are hashed here.
    /// </param>
    public static async Task<IReadOnlyList<string>> CheckAsync(string releaseDirectory, AuditProfile profile, IReadOnlyCollection<string> allowed, CancellationToken cancellationToken,
        string? cacheFile = null, IReadOnlyDictionary<string, string>? partSha256 = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(allowed);
        var removed = RemovedAttributes.For(profile);
        var cache = PhiGuardCache.Load(cacheFile, Index.ScanIndexSettings.HashRules(profile));
        var problems = new List<string>();
        foreach (var (table, columns) in ReleaseTables.All)
        {
            var folder = Path.Combine(releaseDirectory, table);
            if (!Directory.Exists(folder)) continue;

            // Every column named after an attribute to remove is counted, allowed or not, so that what the cache keeps of
            // a part does not depend on the job.
            var guarded = new List<(string Column, string Keyword, uint Tag)>();
            var headerJson = false;
            foreach (var column in columns)
            {
                if (column.Name == HeaderJsonColumn)
                {
                    headerJson = true;
                    continue;
                }

                var keyword = removed.TryGetTag(column.Name, out _) ? column.Name : PascalCase(column.Name);
                if (removed.TryGetTag(keyword, out var columnTag)) guarded.Add((column.Name, keyword, columnTag));
            }

            if (guarded.Count == 0 && !headerJson) continue;
            var found = await FoundAsync(folder, table, guarded.Select(g => g.Column).ToArray(), headerJson, removed, cache, partSha256, cancellationToken).ConfigureAwait(false);
            foreach (var column in columns)
            {
                if (column.Name == HeaderJsonColumn)
                {
                    foreach (var (tag, count) in found.Tags!.Where(kv => !allowed.Contains(removed.KeywordOf(kv.Key))).OrderBy(kv => kv.Key))
                    {
                        problems.Add(Describe(profile, removed, $"{table}.{HeaderJsonColumn}", tag, count));
                    }

                    continue;
                }

                if (guarded.Find(g => g.Column == column.Name) is not { Column: not null } g || allowed.Contains(g.Keyword)) continue;
                var values = found.Columns.GetValueOrDefault(g.Column);
                if (values > 0) problems.Add(Describe(profile, removed, $"{table}.{g.Column}", g.Tag, values));
            }
        }

        cache.Save();
        return problems;
    }

    private static string Describe(AuditProfile profile, RemovedAttributes removed, string where, uint tag, long count) => string.Create(CultureInfo.InvariantCulture,
        $"{where} holds {count} value{(count == 1 ? string.Empty : "s")} of {removed.KeywordOf(tag)} ({tag >> 16:X4},{tag & 0xFFFF:X4}), which the '{profile.Name}' profile requires removing ({removed.ActionOf(tag)}).");

    /// <summary><c>study_description</c> → <c>StudyDescription</c>.</summary>
    private static string PascalCase(string snake)
    {
        var text = new StringBuilder(snake.Length);
        var upper = true;
        foreach (var c in snake)
        {
            if (c == '_')
            {
                upper = true;
                continue;
            }

            text.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        return text.ToString();
    }

    /// <summary>
    /// What the parts of one table hold, added up: how many header_json values hold each removed tag, and the values of
    /// each of <paramref name="columns"/>.
    /// </summary>
    /// <remarks>
    /// Parts are hashed and read several at once (they are independent; the sums do not depend on the order), at most
    /// <see cref="PartsAtOnce"/>: each holds a row group of header_json strings while it is read. A part is opened once
    /// for all its columns: its footer alone, decoded, costs more than most of its columns.
    /// </remarks>
    private static async Task<PartContents> FoundAsync(string tableFolder, string table, string[] columns, bool headerJson, RemovedAttributes removed, PhiGuardCache cache,
        IReadOnlyDictionary<string, string>? partSha256, CancellationToken cancellationToken)
    {
        var parts = Parts(tableFolder);
        var hashes = new string[parts.Length];
        var contents = new PartContents[parts.Length];
        var options = new ParallelOptions { MaxDegreeOfParallelism = PartsAtOnce, CancellationToken = cancellationToken };
        await Parallel.ForAsync(0, parts.Length, options, async (i, ct) =>
        {
            hashes[i] = partSha256?.GetValueOrDefault(table + "/" + Path.GetFileName(parts[i])) ?? await FileHashes.Sha256Async(parts[i], ct).ConfigureAwait(false);
            contents[i] = cache.TryGet(hashes[i], columns, headerJson, out var known) ? known : await PartAsync(parts[i], columns, headerJson, removed, ct).ConfigureAwait(false);
        }).ConfigureAwait(false);

        var found = new PartContents(headerJson ? [] : null, new Dictionary<string, long>(StringComparer.Ordinal));
        for (var i = 0; i < parts.Length; i++)
        {
            cache.Keep(hashes[i], contents[i]);
            foreach (var (tag, count) in contents[i].Tags ?? []) found.Tags![tag] = found.Tags.GetValueOrDefault(tag) + count;
            foreach (var (column, count) in contents[i].Columns) found.Columns[column] = found.Columns.GetValueOrDefault(column) + count;
        }

        return found;
    }

    private static int PartsAtOnce => Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>One part's <see cref="PartContents"/>: every one of <paramref name="columns"/> is counted (0 when the part lacks it).</summary>
    private static async Task<PartContents> PartAsync(string part, string[] columns, bool headerJson, RemovedAttributes removed, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(part);
        await using var reader = await ParquetReader.CreateAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        var fields = reader.Schema.GetDataFields();
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var column in columns)
        {
            var field = fields.FirstOrDefault(f => f.Path.FirstPart == column);
            counts[column] = field is null ? 0 : await CountValuesAsync(reader, column, field, cancellationToken).ConfigureAwait(false);
        }

        Dictionary<uint, long>? tags = null;
        if (headerJson)
        {
            tags = [];
            if (fields.FirstOrDefault(f => f.Path.FirstPart == HeaderJsonColumn) is { } json) await CollectTagsAsync(reader, json, removed, tags, cancellationToken).ConfigureAwait(false);
        }

        return new PartContents(tags, counts);
    }

    /// <summary>Non-null values of a column (list elements for a list column), empty strings not counted (but in lists).</summary>
    private static async Task<long> CountValuesAsync(ParquetReader reader, string column, DataField field, CancellationToken cancellationToken)
    {
        long count = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            // Parquet.Net 6 describes a string column it reads as ReadOnlyMemory<char>.
            if ((field.ClrType == typeof(string) || field.ClrType == typeof(ReadOnlyMemory<char>)) && field.MaxRepetitionLevel == 0)
            {
                foreach (var value in await ReadUtf8Async(group, Utf8Field(column, field.IsNullable), cancellationToken).ConfigureAwait(false))
                {
                    if (!value.IsEmpty) count++;
                }
            }
            else if (field.MaxDefinitionLevel == 0)
            {
                // A required column has a value in every row, and no definition levels to say so.
                count += group.RowCount;
            }
            else
            {
                using var raw = await group.ReadRawColumnDataBaseAsync(field, cancellationToken).ConfigureAwait(false);
                foreach (var level in raw.DefinitionLevels)
                {
                    if (level == field.MaxDefinitionLevel) count++;
                }
            }
        }

        return count;
    }

    /// <summary>Adds to <paramref name="found"/>, per removed tag, the header_json values that hold it (once per value, at any depth).</summary>
    private static async Task CollectTagsAsync(ParquetReader reader, DataField column, RemovedAttributes removed, Dictionary<uint, long> found, CancellationToken cancellationToken)
    {
        var seen = new HashSet<uint>();
        var field = Utf8Field(HeaderJsonColumn, column.IsNullable);

        // One row group at a time: memory is bounded by the row-group size. The JSON reader takes the UTF-8 bytes as they are.
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            foreach (var json in await ReadUtf8Async(group, field, cancellationToken).ConfigureAwait(false))
            {
                if (json.IsEmpty) continue;
                seen.Clear();
                CollectTags(json.Span, removed, seen);
                foreach (var tag in seen) found[tag] = found.GetValueOrDefault(tag) + 1;
            }
        }
    }

    /// <summary>A field that reads the string column <paramref name="name"/> as its UTF-8 bytes (attached to a schema of its own, as Parquet.Net requires).</summary>
    private static DataField Utf8Field(string name, bool nullable)
    {
        var field = new DataField<byte[]>(name, nullable);
        _ = new ParquetSchema(field);
        return field;
    }

    /// <summary>
    /// The non-null values of a string column in <paramref name="group"/>, as UTF-8 bytes (empty after the last one).
    /// Read as strings, each value went through a char array of Parquet.Net's and a string: four bytes per character of
    /// ASCII held at once (the guard alone over a release of 1,008,712 files peaked at 717 MiB so, 278 MiB as bytes).
    /// </summary>
    private static async Task<ReadOnlyMemory<byte>[]> ReadUtf8Async(ParquetRowGroupReader group, DataField utf8Field, CancellationToken cancellationToken)
    {
        var rows = checked((int)group.RowCount);
        var values = new ReadOnlyMemory<byte>[rows];
        // Not a conditional expression: its null would convert to an empty Memory, not to no levels.
        Memory<int>? levels = null;
        if (utf8Field.IsNullable) levels = new int[rows];
        await group.ReadRawAsync(utf8Field, values.AsMemory(), levels, null, cancellationToken).ConfigureAwait(false);
        return values;
    }

    /// <summary>Every property name of the DICOM JSON that is a removed tag (eight hex digits), at any depth.</summary>
    private static void CollectTags(ReadOnlySpan<byte> json, RemovedAttributes removed, HashSet<uint> seen)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = Dicom.DicomJsonWriter.MaxJsonDepth });
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.ValueSpan.Length != 8) continue;
            if (!uint.TryParse(reader.ValueSpan, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var tag)) continue;
            if (removed.Contains(tag)) seen.Add(tag);
        }
    }

    private static string[] Parts(string tableFolder)
    {
        var parts = Directory.GetFiles(tableFolder, "*.parquet");
        Array.Sort(parts, StringComparer.Ordinal);
        return parts;
    }
}
