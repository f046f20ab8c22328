using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Amazon.S3.Model;
using Nccid.Batch.Tests.Tables;

namespace Nccid.Batch.Tests.Fixtures;

/// <summary>
/// Writes an S3 Inventory report into the test server the way S3 lays one out: data files under
/// <c>prefix/data/</c> (gzipped CSV with URL-encoded keys, or Parquet written by DuckDB), a dated
/// <c>manifest.json</c> with each file's size and MD5, and <c>manifest.checksum</c>. The rows come from the SDK's own
/// listing of the source bucket, shuffled and split over several files, as S3 does not promise any order.
/// </summary>
internal static class InventoryBuilder
{
    public const string CsvSchema = "Bucket, Key, Size, LastModifiedDate, ETag, StorageClass";

    /// <summary>Builds the report; returns the manifest's s3:// location and the data files' keys.</summary>
    public static async Task<(string Manifest, IReadOnlyList<string> DataKeys)> BuildAsync(
        S3ServerFixture server, string sourceBucket, string destinationBucket, string prefix, string format, DateTimeOffset created, int files = 3, int seed = 7)
    {
        var rows = new List<S3Object>();
        var request = new ListObjectsV2Request { BucketName = sourceBucket };
        while (true)
        {
            var page = await server.Client.ListObjectsV2Async(request);
            rows.AddRange(page.S3Objects ?? []);
            if (page.IsTruncated != true) break;
            request.ContinuationToken = page.NextContinuationToken;
        }

        var random = new Random(seed);
        var shuffled = rows.OrderBy(_ => random.Next()).ToArray();
        var dataKeys = new List<string>();
        var entries = new List<string>();
        using var temp = new TempDirectory();
        for (var f = 0; f < files; f++)
        {
            var chunk = shuffled.Where((_, i) => i % files == f).ToArray();
            var name = string.Create(CultureInfo.InvariantCulture, $"{prefix}/data/part-{f:D3}.{(format == "CSV" ? "csv.gz" : "parquet")}");
            var bytes = format == "CSV" ? Csv(sourceBucket, chunk) : Parquet(sourceBucket, chunk, Path.Combine(temp.Path, f + ".parquet"), Path.Combine(temp.Path, f + ".csv"));
            await server.PutAsync(destinationBucket, name, bytes);
            dataKeys.Add(name);
            entries.Add($$"""{ "key": "{{name}}", "size": {{bytes.Length}}, "MD5checksum": "{{Convert.ToHexStringLower(MD5.HashData(bytes))}}" }""");
        }

        var schema = format == "CSV"
            ? CsvSchema
            : "message s3.inventory { required binary bucket (STRING); required binary key (STRING); optional int64 size; optional int64 last_modified_date (TIMESTAMP(MILLIS,true)); optional binary e_tag (STRING);}";
        var manifest = $$"""
            {
              "sourceBucket" : "{{sourceBucket}}",
              "destinationBucket" : "arn:aws:s3:::{{destinationBucket}}",
              "version" : "2016-11-30",
              "creationTimestamp" : "{{created.ToUnixTimeMilliseconds()}}",
              "fileFormat" : "{{format}}",
              "fileSchema" : "{{schema}}",
              "files" : [ {{string.Join(", ", entries)}} ]
            }
            """;
        var folder = $"{prefix}/{created.UtcDateTime:yyyy-MM-dd'T'HH-mm'Z'}";
        var manifestBytes = Encoding.UTF8.GetBytes(manifest);
        await server.PutAsync(destinationBucket, folder + "/manifest.json", manifestBytes);
        await server.PutAsync(destinationBucket, folder + "/manifest.checksum", Encoding.ASCII.GetBytes(Convert.ToHexStringLower(MD5.HashData(manifestBytes))));
        return ($"s3://{destinationBucket}/{folder}/manifest.json", dataKeys);
    }

    private static byte[] Csv(string bucket, IEnumerable<S3Object> objects)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var writer = new StreamWriter(gzip, new UTF8Encoding(false)))
        {
            foreach (var o in objects)
            {
                var modified = o.LastModified!.Value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
                writer.Write($"\"{bucket}\",\"{Uri.EscapeDataString(o.Key)}\",\"{o.Size}\",\"{modified}\",\"{o.ETag?.Trim('"')}\",\"STANDARD\"\n");
            }
        }

        return buffer.ToArray();
    }

    /// <summary>The same rows written by DuckDB (an independent Parquet writer), keys as they are.</summary>
    private static byte[] Parquet(string bucket, IEnumerable<S3Object> objects, string parquetPath, string csvPath)
    {
        using (var writer = new StreamWriter(csvPath, false, new UTF8Encoding(false)))
        {
            writer.Write("bucket,key,size,last_modified_date,e_tag\n");
            foreach (var o in objects)
            {
                var modified = o.LastModified!.Value.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);
                writer.Write($"\"{bucket}\",\"{o.Key.Replace("\"", "\"\"", StringComparison.Ordinal)}\",{o.Size},{modified},\"{o.ETag?.Trim('"')}\"\n");
            }
        }

        DuckDb.Query($"""
            COPY (SELECT * FROM read_csv('{csvPath}', header = true, quote = '"', escape = '"',
                columns = {"{"}'bucket': 'VARCHAR', 'key': 'VARCHAR', 'size': 'BIGINT', 'last_modified_date': 'TIMESTAMP', 'e_tag': 'VARCHAR'{"}"}))
            TO '{parquetPath}' (FORMAT parquet)
            """);
        return File.ReadAllBytes(parquetPath);
    }
}
