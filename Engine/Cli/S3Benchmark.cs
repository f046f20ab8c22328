using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Nccid.Batch.Pipeline;
using Nccid.Batch.Storage;
using Nccid.Batch.Synthetic;
using Nccid.Batch.Tables;

namespace Nccid.Batch.Cli;

/// <summary>
/// <c>bench --s3</c>: uploads full-size chest radiographs (about 15 MB each, pixel data zero) to an S3-compatible
/// server, then measures in the same run, round after round, our scan of them (list, ranged GETs, parse, Parquet) and a
/// plain AWSSDK.S3 client doing only what the scan cannot avoid (list, and a ranged GET of the first 64 KiB of each
/// object with the same concurrency, nothing parsed). Reports objects/s, requests and bytes fetched per object, bytes
/// fetched against bytes stored, and the scan's rate as a ratio of the plain client's.
/// </summary>
internal sealed class S3Benchmark(S3Benchmark.Settings settings, TextWriter log)
{
    private const int RangeBytes = 64 << 10;

    /// <summary>What to measure where.</summary>
    /// <param name="Endpoint">The S3-compatible endpoint.</param>
    /// <param name="Credentials">Explicit credentials (the local s3rver's), or null for the SDK's standard chain.</param>
    /// <param name="Bucket">The bucket (created when missing).</param>
    /// <param name="Objects">Radiographs to upload and scan.</param>
    /// <param name="Parallelism">Objects in flight, for both clients.</param>
    /// <param name="Rounds">Measurements of each client, interleaved; the median is reported.</param>
    /// <param name="HeaderJson">Whether the scan fills header_json.</param>
    /// <param name="Work">A folder for the scan's output.</param>
    public sealed record Settings(Uri Endpoint, AWSCredentials? Credentials, string Bucket, int Objects, int Parallelism, int Rounds, bool HeaderJson, string Work)
    {
        /// <summary>The key prefix of the corpus: one per count, so runs of different sizes do not mix.</summary>
        public string Prefix => string.Create(CultureInfo.InvariantCulture, $"bench/cr-{Objects}");
    }

    /// <summary>One measurement of one client.</summary>
    public sealed record Measurement(long Objects, long Requests, long BytesFetched, long BytesStored, long Errors, TimeSpan Elapsed)
    {
        public double ObjectsPerSecond => Objects / Math.Max(1e-9, Elapsed.TotalSeconds);

        public double RequestsPerObject => Objects == 0 ? 0 : (double)Requests / Objects;

        public double BytesFetchedPerObject => Objects == 0 ? 0 : (double)BytesFetched / Objects;

        public double FetchedToStored => BytesStored == 0 ? 0 : (double)BytesFetched / BytesStored;
    }

    /// <summary>Uploads what is missing, measures, prints, and writes the JSON report when asked.</summary>
    public async Task<(Measurement Scan, Measurement Plain)> RunAsync(string? reportPath, CancellationToken cancellationToken)
    {
        var inv = CultureInfo.InvariantCulture;
        var options = new S3StoreOptions
        {
            Bucket = settings.Bucket, Prefix = settings.Prefix, Endpoint = settings.Endpoint, ForcePathStyle = true,
            MaxConcurrentRequests = Math.Max(64, settings.Parallelism), MaxRetries = 6,
        };
        using var client = CreateClient(options);
        var upload = await UploadAsync(client, cancellationToken).ConfigureAwait(false);
        log.WriteLine(string.Create(inv, $"corpus: {settings.Objects:N0} radiographs of {upload.ObjectBytes / 1e6:N1} MB under s3://{settings.Bucket}/{settings.Prefix}/ at {settings.Endpoint} ({upload.Uploaded:N0} uploaded in {upload.Elapsed.TotalSeconds:N1} s)"));
        log.WriteLine(string.Create(inv, $"parallelism {settings.Parallelism}, {settings.Rounds} round(s), {Environment.ProcessorCount} cores, header_json {(settings.HeaderJson ? "on" : "off")}"));

        // One untimed pass of each first: the JIT, the connection pools and the server's caches are then warm for both.
        await PlainAsync(client, options, cancellationToken).ConfigureAwait(false);
        await ScanAsync(options, 0, cancellationToken).ConfigureAwait(false);
        var scans = new List<Measurement>();
        var plains = new List<Measurement>();
        for (var round = 1; round <= settings.Rounds; round++)
        {
            var plain = await PlainAsync(client, options, cancellationToken).ConfigureAwait(false);
            var scan = await ScanAsync(options, round, cancellationToken).ConfigureAwait(false);
            plains.Add(plain);
            scans.Add(scan);
            log.WriteLine(string.Create(inv, $"round {round}: scan {scan.ObjectsPerSecond:N1} objects/s, plain ranged GETs {plain.ObjectsPerSecond:N1} objects/s"));
        }

        var s = Median(scans);
        var p = Median(plains);
        log.WriteLine(string.Create(inv, $"scan:  {s.ObjectsPerSecond,9:N1} objects/s  {s.RequestsPerObject:N3} requests/object  {s.BytesFetchedPerObject,9:N0} B fetched/object  fetched/stored {s.FetchedToStored:P3}  ({s.Errors} error rows)"));
        log.WriteLine(string.Create(inv, $"plain: {p.ObjectsPerSecond,9:N1} objects/s  {p.RequestsPerObject:N3} requests/object  {p.BytesFetchedPerObject,9:N0} B fetched/object  fetched/stored {p.FetchedToStored:P3}"));
        log.WriteLine(string.Create(inv, $"ratio scan/plain = {s.ObjectsPerSecond / p.ObjectsPerSecond:P1} (objects/s, medians)"));
        if (reportPath is not null) WriteReport(reportPath, s, p, upload.ObjectBytes);
        return (s, p);
    }

    private IAmazonS3 CreateClient(S3StoreOptions options)
    {
        var config = S3ObjectStore.CreateConfig(options, Environment.GetEnvironmentVariable);
        return settings.Credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(settings.Credentials, config);
    }

    private async Task<(int Uploaded, long ObjectBytes, TimeSpan Elapsed)> UploadAsync(IAmazonS3 client, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await client.PutBucketAsync(new PutBucketRequest { BucketName = settings.Bucket }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
        {
            // A bucket kept from an earlier run: its objects are reused.
        }

        var present = new HashSet<string>(StringComparer.Ordinal);
        var list = new ListObjectsV2Request { BucketName = settings.Bucket, Prefix = settings.Prefix + "/" };
        while (true)
        {
            var page = await client.ListObjectsV2Async(list, cancellationToken).ConfigureAwait(false);
            foreach (var o in page.S3Objects ?? []) present.Add(o.Key);
            if (page.IsTruncated != true) break;
            list.ContinuationToken = page.NextContinuationToken;
        }

        long objectBytes = 0;
        var uploaded = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, settings.Objects), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var key = string.Create(CultureInfo.InvariantCulture, $"{settings.Prefix}/patient-{i:D5}/cr-{i:D5}.dcm");
            var bytes = DicomFileWriter.ToBytes(ReferenceHeaders.ChestRadiograph(i, 0, withPixelData: true), new DicomWriteOptions());
            Interlocked.Exchange(ref objectBytes, bytes.Length);
            if (present.Contains(key)) return;
            await client.PutObjectAsync(new PutObjectRequest
            {
                BucketName = settings.Bucket, Key = key, InputStream = new MemoryStream(bytes), UseChunkEncoding = false,
            }, ct).ConfigureAwait(false);
            Interlocked.Increment(ref uploaded);
        }).ConfigureAwait(false);
        return (uploaded, objectBytes, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>The plain client: ListObjectsV2, then one ranged GET of the first 64 KiB per object, bodies read and dropped.</summary>
    private async Task<Measurement> PlainAsync(IAmazonS3 client, S3StoreOptions options, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        long requests = 0, fetched = 0, stored = 0, objects = 0;
        var listed = new List<S3Object>();
        var list = new ListObjectsV2Request { BucketName = options.Bucket, Prefix = options.FolderPrefix };
        while (true)
        {
            var page = await client.ListObjectsV2Async(list, cancellationToken).ConfigureAwait(false);
            requests++;
            listed.AddRange(page.S3Objects ?? []);
            if (page.IsTruncated != true) break;
            list.ContinuationToken = page.NextContinuationToken;
        }

        using var buffers = new ThreadLocal<byte[]>(() => new byte[RangeBytes]);
        await Parallel.ForEachAsync(listed, new ParallelOptions { MaxDegreeOfParallelism = settings.Parallelism, CancellationToken = cancellationToken }, async (o, ct) =>
        {
            using var response = await client.GetObjectAsync(new GetObjectRequest { BucketName = options.Bucket, Key = o.Key, ByteRange = new ByteRange(0, RangeBytes - 1) }, ct)
                .ConfigureAwait(false);
            var buffer = buffers.Value!;
            var total = 0;
            int n;
            while (total < buffer.Length && (n = await response.ResponseStream.ReadAsync(buffer.AsMemory(total), ct).ConfigureAwait(false)) > 0) total += n;
            Interlocked.Increment(ref requests);
            Interlocked.Increment(ref objects);
            Interlocked.Add(ref fetched, total);
            Interlocked.Add(ref stored, o.Size ?? 0);
        }).ConfigureAwait(false);
        return new Measurement(objects, requests, fetched, stored, 0, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>Our scan, through a fresh store so its counters are this round's.</summary>
    private async Task<Measurement> ScanAsync(S3StoreOptions options, int round, CancellationToken cancellationToken)
    {
        using var store = new S3ObjectStore(options, settings.Credentials, Environment.GetEnvironmentVariable);
        var output = Path.Combine(settings.Work, "scan-" + round.ToString(CultureInfo.InvariantCulture));
        var started = Stopwatch.GetTimestamp();
        var summary = await InstanceScan.RunAsync(store, output, new ScanOptions { Parallelism = settings.Parallelism }, new ParquetPartOptions(), settings.HeaderJson,
            TimeProvider.System, null, cancellationToken).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);
        return new Measurement(summary.Files, store.Requests, summary.BytesRead, summary.BytesStored, summary.Errors, elapsed);
    }

    private static Measurement Median(List<Measurement> measurements) =>
        measurements.OrderBy(m => m.ObjectsPerSecond).ElementAt(measurements.Count / 2);

    private void WriteReport(string path, Measurement scan, Measurement plain, long objectBytes)
    {
        using var stream = File.Create(path);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("endpoint", settings.Endpoint.GetLeftPart(UriPartial.Authority));
        w.WriteString("location", $"s3://{settings.Bucket}/{settings.Prefix}");
        w.WriteNumber("objects", settings.Objects);
        w.WriteNumber("object_bytes", objectBytes);
        w.WriteNumber("parallelism", settings.Parallelism);
        w.WriteNumber("rounds", settings.Rounds);
        w.WriteBoolean("header_json", settings.HeaderJson);
        void Write(string name, Measurement m)
        {
            w.WriteStartObject(name);
            w.WriteNumber("objects", m.Objects);
            w.WriteNumber("error_rows", m.Errors);
            w.WriteNumber("elapsed_seconds", Math.Round(m.Elapsed.TotalSeconds, 3));
            w.WriteNumber("objects_per_second", Math.Round(m.ObjectsPerSecond, 2));
            w.WriteNumber("requests", m.Requests);
            w.WriteNumber("requests_per_object", Math.Round(m.RequestsPerObject, 4));
            w.WriteNumber("bytes_fetched", m.BytesFetched);
            w.WriteNumber("bytes_stored", m.BytesStored);
            w.WriteNumber("bytes_fetched_per_object", Math.Round(m.BytesFetchedPerObject, 1));
            w.WriteNumber("fetched_to_stored_ratio", Math.Round(m.FetchedToStored, 6));
            w.WriteEndObject();
        }

        Write("scan", scan);
        Write("plain", plain);
        w.WriteNumber("scan_to_plain_ratio", Math.Round(scan.ObjectsPerSecond / Math.Max(1e-9, plain.ObjectsPerSecond), 4));
        w.WriteEndObject();
    }
}
