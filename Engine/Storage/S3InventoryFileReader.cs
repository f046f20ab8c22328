using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using Parquet;
using Parquet.Schema;

namespace Nccid.Batch.Storage;

/// <summary>
/// Reads the rows of one inventory data file already on disk: gzipped CSV without a header, columns as the
/// manifest's fileSchema names them and keys URL-encoded; or Parquet, columns found by name. Errors name the
/// file and the line or row group.
/// </summary>
internal static class S3InventoryFileReader
{
    /// <summary>The rows of a gzipped CSV file whose columns are <paramref name="fileSchema"/>.</summary>
    /// <exception cref="InvalidDataException">The schema lacks a needed field, the file is not gzip, or a line is malformed.</exception>
    public static IEnumerable<S3InventoryRow> ReadCsvGz(string path, string fileSchema, string where)
    {
        var fields = fileSchema.Split(',', StringSplitOptions.TrimEntries);
        int Find(string name) => Array.FindIndex(fields, f => f.Equals(name, StringComparison.OrdinalIgnoreCase));
        var bucket = Find("Bucket");
        var key = Find("Key");
        var size = Find("Size");
        var modified = Find("LastModifiedDate");
        var latest = Find("IsLatest");
        var deleteMarker = Find("IsDeleteMarker");
        var etag = Find("ETag");
        RequireFields(key, size, where);
        return Rows();

        IEnumerable<S3InventoryRow> Rows()
        {
            using var file = File.OpenRead(path);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var text = new StreamReader(gzip, new UTF8Encoding(false, throwOnInvalidBytes: true));
            var values = new List<string>(fields.Length);
            for (var line = 1; ; line++)
            {
                string? content;
                try
                {
                    content = text.ReadLine();
                }
                catch (Exception ex) when (ex is InvalidDataException or DecoderFallbackException or IOException)
                {
                    throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{where}: line {line}: the file is not gzipped UTF-8 text ({ex.Message})"));
                }

                if (content is null) yield break;
                if (content.Length == 0) continue;
                string At(string what) => string.Create(CultureInfo.InvariantCulture, $"{where}: line {line}: {what}");
                if (!SplitCsv(content, values)) throw new InvalidDataException(At("a quoted field is not closed, or text follows its closing quote."));
                if (values.Count != fields.Length)
                {
                    throw new InvalidDataException(At(string.Create(CultureInfo.InvariantCulture, $"{values.Count} fields, but the manifest's fileSchema names {fields.Length}.")));
                }

                string decoded;
                try
                {
                    decoded = WebUtility.UrlDecode(values[key]);
                }
                catch (ArgumentException)
                {
                    throw new InvalidDataException(At("the key is not URL-encoded UTF-8."));
                }

                if (decoded.Length == 0) throw new InvalidDataException(At("the key is empty."));
                long? bytes = null;
                if (values[size].Length > 0)
                {
                    if (!long.TryParse(values[size], NumberStyles.None, CultureInfo.InvariantCulture, out var n)) throw new InvalidDataException(At($"Size '{values[size]}' is not a number of bytes."));
                    bytes = n;
                }

                var when = default(DateTime);
                if (modified >= 0 && values[modified].Length > 0)
                {
                    if (!DateTime.TryParse(values[modified], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out when))
                    {
                        throw new InvalidDataException(At($"LastModifiedDate '{values[modified]}' is not an ISO 8601 time."));
                    }
                }

                var current = !(latest >= 0 && values[latest].Equals("false", StringComparison.OrdinalIgnoreCase))
                    && !(deleteMarker >= 0 && values[deleteMarker].Equals("true", StringComparison.OrdinalIgnoreCase));
                yield return new S3InventoryRow(bucket >= 0 ? values[bucket] : null, decoded, bytes, when, current && bytes is not null,
                    etag >= 0 ? StoredObject.TrimETag(values[etag]) : null);
            }
        }
    }

    /// <summary>The rows of a Parquet inventory file (columns bucket, key, size, last_modified_date, is_latest, is_delete_marker, e_tag).</summary>
    /// <exception cref="InvalidDataException">Not a Parquet file, or a needed column is missing or of an unexpected type.</exception>
    public static async IAsyncEnumerable<S3InventoryRow> ReadParquetAsync(string path, string where, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        ParquetReader reader;
        try
        {
            reader = await ParquetReader.CreateAsync(file, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            throw new InvalidDataException($"{where}: not a readable Parquet file ({ex.Message})");
        }

        await using (reader.ConfigureAwait(false))
        {
            var fields = reader.Schema.GetDataFields().ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);
            DataField? Field(string name) => fields.GetValueOrDefault(name);
            var key = Field("key");
            var size = Field("size");
            RequireFields(key is null ? -1 : 0, size is null ? -1 : 0, where);
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                string?[] keys, buckets, etags;
                long?[] sizes;
                DateTime?[] modified;
                bool?[] latest, deleteMarkers;
                int n;
                using (var group = reader.OpenRowGroupReader(g))
                {
                    n = checked((int)group.RowCount);
                    try
                    {
                        keys = await StringsAsync(group, key!, n, cancellationToken).ConfigureAwait(false);
                        buckets = Field("bucket") is { } b ? await StringsAsync(group, b, n, cancellationToken).ConfigureAwait(false) : new string?[n];
                        sizes = await ValuesAsync<long>(group, size!, n, where, cancellationToken).ConfigureAwait(false);
                        modified = Field("last_modified_date") is { } m ? await ValuesAsync<DateTime>(group, m, n, where, cancellationToken).ConfigureAwait(false) : new DateTime?[n];
                        latest = Field("is_latest") is { } l ? await ValuesAsync<bool>(group, l, n, where, cancellationToken).ConfigureAwait(false) : new bool?[n];
                        deleteMarkers = Field("is_delete_marker") is { } d ? await ValuesAsync<bool>(group, d, n, where, cancellationToken).ConfigureAwait(false) : new bool?[n];
                        etags = Field("e_tag") is { } e ? await StringsAsync(group, e, n, cancellationToken).ConfigureAwait(false) : new string?[n];
                    }
                    catch (Exception ex) when (ex is IOException or NotSupportedException or ArgumentException or InvalidOperationException or IndexOutOfRangeException)
                    {
                        throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{where}: row group {g} cannot be read ({ex.Message})"));
                    }
                }

                for (var i = 0; i < n; i++)
                {
                    if (string.IsNullOrEmpty(keys[i])) throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{where}: row group {g}, row {i}: the key is empty."));
                    var when = modified[i] is { } t ? (t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : DateTime.SpecifyKind(t, DateTimeKind.Utc)) : default;
                    var current = latest[i] != false && deleteMarkers[i] != true && sizes[i] is not null;
                    yield return new S3InventoryRow(buckets[i], keys[i]!, sizes[i], when, current, StoredObject.TrimETag(etags[i]));
                }
            }
        }
    }

    private static void RequireFields(int key, int size, string where)
    {
        if (key < 0) throw new InvalidDataException($"{where}: the inventory has no Key field.");
        if (size < 0) throw new InvalidDataException($"{where}: the inventory has no Size field; add Size to the inventory configuration's optional fields.");
    }

    private static async Task<string?[]> StringsAsync(ParquetRowGroupReader group, DataField field, int n, CancellationToken cancellationToken)
    {
        var values = new string?[n];
        await group.ReadAsync(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
        return values;
    }

    /// <summary>Reads a column as nullable <typeparamref name="T"/>, widening 32-bit integers.</summary>
    private static async Task<T?[]> ValuesAsync<T>(ParquetRowGroupReader group, DataField field, int n, string where, CancellationToken cancellationToken) where T : struct
    {
        if (typeof(T) == typeof(long) && field.ClrType == typeof(int))
        {
            var narrow = await ValuesAsync<int>(group, field, n, where, cancellationToken).ConfigureAwait(false);
            return (T?[])(object)Array.ConvertAll(narrow, v => (long?)v);
        }

        if (field.ClrType != typeof(T)) throw new InvalidDataException($"{where}: column '{field.Name}' holds {field.ClrType.Name}, not {typeof(T).Name}.");
        var values = new T?[n];
        if (field.IsNullable)
        {
            await group.ReadAsync(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            return values;
        }

        var required = new T[n];
        await group.ReadAsync(field, required.AsMemory(), null, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < n; i++) values[i] = required[i];
        return values;
    }

    /// <summary>
    /// Splits one CSV line into <paramref name="values"/>: fields optionally quoted, "" inside quotes is a quote; false
    /// when a quoted field is not closed or text follows its closing quote.
    /// </summary>
    private static bool SplitCsv(string line, List<string> values)
    {
        values.Clear();
        var field = new StringBuilder();
        var i = 0;
        while (true)
        {
            field.Clear();
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length) return false;
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    field.Append(line[i++]);
                }

                if (i < line.Length && line[i] != ',') return false;
            }
            else
            {
                while (i < line.Length && line[i] != ',') field.Append(line[i++]);
            }

            values.Add(field.ToString());
            if (i >= line.Length) return true;
            i++; // the comma
        }
    }
}
