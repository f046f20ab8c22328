using System.Globalization;
using System.Text.Json;

namespace Nccid.Batch.Storage;

/// <summary>
/// An S3 Inventory report's <c>manifest.json</c>: which bucket it lists, in which format and columns, its data
/// files with their MD5, and when S3 created it.
/// </summary>
/// <param name="SourceBucket">The bucket the inventory lists.</param>
/// <param name="DestinationBucket">The bucket holding the data files (the name, without the <c>arn:aws:s3:::</c> prefix).</param>
/// <param name="FileFormat">CSV, Parquet or ORC.</param>
/// <param name="FileSchema">The columns: for CSV a comma-separated list of field names, for Parquet the message type.</param>
/// <param name="Files">The data files.</param>
/// <param name="CreatedUtc">creationTimestamp (milliseconds since the epoch).</param>
public sealed record S3InventoryManifest(
    string SourceBucket, string DestinationBucket, string FileFormat, string FileSchema, IReadOnlyList<S3InventoryFile> Files, DateTimeOffset CreatedUtc)
{
    private const string ArnPrefix = "arn:aws:s3:::";

    /// <summary>Parses a manifest; <paramref name="where"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">Not JSON, or a field is missing or of the wrong type; the message names the field.</exception>
    public static S3InventoryManifest Parse(ReadOnlySpan<byte> json, string where)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(json);
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{where} is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}).");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{where}: at $: a manifest is a JSON object.");
            var source = Text(root, "sourceBucket", where);
            var destination = Text(root, "destinationBucket", where);
            if (destination.StartsWith(ArnPrefix, StringComparison.Ordinal)) destination = destination[ArnPrefix.Length..];
            var format = Text(root, "fileFormat", where);
            var schema = Text(root, "fileSchema", where);
            var created = Created(root, where);
            if (!root.TryGetProperty("files", out var files) || files.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException($"{where}: at $.files: required, an array of {{key, size, MD5checksum}}.");
            }

            var list = new List<S3InventoryFile>();
            var i = 0;
            foreach (var file in files.EnumerateArray())
            {
                var at = string.Create(CultureInfo.InvariantCulture, $"files[{i++}]");
                if (file.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{where}: at $.{at}: an object {{key, size, MD5checksum}}.");
                var key = Text(file, "key", where, at);
                if (!file.TryGetProperty("size", out var sizeElement) || !TryInt64(sizeElement, out var size) || size < 0)
                {
                    throw new InvalidDataException($"{where}: at $.{at}.size: required, a non-negative number of bytes.");
                }

                var md5 = Text(file, "MD5checksum", where, at).ToLowerInvariant();
                if (md5.Length != 32 || !md5.All(char.IsAsciiHexDigit)) throw new InvalidDataException($"{where}: at $.{at}.MD5checksum: 32 hexadecimal digits expected.");
                list.Add(new S3InventoryFile(key, size, md5));
            }

            return new S3InventoryManifest(source, destination, format, schema, list, created);
        }
    }

    private static string Text(JsonElement element, string name, string where, string? at = null)
    {
        if (element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text) return text;
        throw new InvalidDataException($"{where}: at $.{(at is null ? string.Empty : at + ".")}{name}: required, a non-empty string.");
    }

    private static DateTimeOffset Created(JsonElement root, string where)
    {
        if (root.TryGetProperty("creationTimestamp", out var value) && TryInt64(value, out var ms) && ms > 0)
        {
            try
            {
                return DateTimeOffset.FromUnixTimeMilliseconds(ms);
            }
            catch (ArgumentOutOfRangeException)
            {
                // Reported below with the other forms of a bad timestamp.
            }
        }

        throw new InvalidDataException($"{where}: at $.creationTimestamp: required, milliseconds since 1970-01-01 UTC (e.g. \"1514944800000\").");
    }

    /// <summary>S3 writes numbers as strings ("1514944800000"); numbers are accepted too.</summary>
    private static bool TryInt64(JsonElement value, out long result)
    {
        result = 0;
        return value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetInt64(out result),
            JsonValueKind.String => long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out result),
            _ => false,
        };
    }
}
