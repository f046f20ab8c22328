using System.Security.Cryptography;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Nccid.Batch.Storage;

namespace Nccid.Batch.Releases;

/// <summary>
/// Publishes a verified local release folder to <c>s3://bucket/prefix/releases/&lt;id&gt;/</c>: every file but the
/// manifest first (multipart above <see cref="MultipartThreshold"/>), each read back and checked against its size
/// and SHA-256 (the manifest's, for table parts), then <c>manifest.json</c>, then <c>releases/LATEST</c>. A reader
/// that finds a manifest finds every file it lists; objects under a release id with no manifest are the leftovers
/// of a failed upload and are removed by the next publish of that id. A table part whose size and SHA-256 the bucket's
/// latest release already lists (an unchanged chunk) is copied inside the bucket instead of uploaded, and checked by its
/// size and, where the source's ETag is an MD5, its ETag: its bytes were read back and hashed when they were first published.
/// </summary>
public sealed class S3ReleasePublisher : IDisposable
{
    private readonly S3StoreOptions _options;
    private readonly IAmazonS3 _client;

    /// <summary>Creates a publisher reached through the SDK's standard chain of credentials, region and endpoint.</summary>
    public S3ReleasePublisher(S3StoreOptions options)
        : this(options, credentials: null, Environment.GetEnvironmentVariable)
    {
    }

    /// <summary>Creates a publisher with explicit credentials (tests against a local server) or the standard chain when null.</summary>
    internal S3ReleasePublisher(S3StoreOptions options, AWSCredentials? credentials, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Validated();
        var config = S3ObjectStore.CreateConfig(options, environment);

        // Uploads are not ranged reads: the SDK's own retries (which rewind the file) are the simplest correct choice here.
        config.MaxErrorRetry = options.MaxRetries;
        _client = credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(credentials, config);
    }

    /// <summary>Files larger than this are uploaded in parts of <see cref="PartSize"/>.</summary>
    public long MultipartThreshold { get; init; } = 16L * 1024 * 1024;

    /// <summary>The size of each part of a multipart upload (the last may be smaller).</summary>
    public long PartSize { get; init; } = 16L * 1024 * 1024;

    /// <summary>Files uploaded or copied at the same time (default 8); the manifest goes up alone, after them.</summary>
    public int FilesInFlight
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "At least one file must be in flight.");
    } = 8;

    /// <summary>The key prefix of the releases: <c>prefix/releases/</c>.</summary>
    public string ReleasesPrefix => _options.FolderPrefix + "releases/";

    /// <summary>The largest object a single CopyObject request may copy (5 GiB); larger parts are uploaded.</summary>
    private const long MaxCopyBytes = 5L << 30;

    /// <summary>
    /// Uploads <paramref name="releaseDirectory"/> as release <paramref name="releaseId"/>, copying inside the bucket the
    /// table parts its latest release already holds, and says where it went and what was uploaded and copied.
    /// </summary>
    /// <exception cref="InvalidOperationException">A release with this id is already published.</exception>
    /// <exception cref="InvalidDataException">An uploaded object does not read back as the local file, or a copy is not the size of its source.</exception>
    public async Task<S3Publication> PublishAsync(string releaseDirectory, string releaseId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(releaseDirectory);
        ArgumentException.ThrowIfNullOrEmpty(releaseId);
        var releasePrefix = ReleasesPrefix + releaseId + "/";
        await RemoveLeftoversAsync(releasePrefix, cancellationToken).ConfigureAwait(false);

        var expected = await ManifestFilesAsync(releaseDirectory, cancellationToken).ConfigureAwait(false);
        var (latest, published) = await LatestPartsAsync(cancellationToken).ConfigureAwait(false);
        int uploaded = 0, copied = 0;
        long bytesUploaded = 0, bytesCopied = 0;
        var files = Directory.GetFiles(releaseDirectory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(releaseDirectory, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(f => f != ReleaseManifest.FileName)
            .Order(StringComparer.Ordinal)
            .ToList();

        async ValueTask PublishFileAsync(string relative, CancellationToken ct)
        {
            var path = Path.Combine(releaseDirectory, relative);
            var sha256 = await FileHashes.Sha256Async(path, ct).ConfigureAwait(false);
            var bytes = new FileInfo(path).Length;
            if (expected.TryGetValue(relative, out var listed) && (listed.Sha256 != sha256 || listed.Bytes != bytes))
            {
                throw new InvalidDataException($"{relative} in {releaseDirectory} does not match the manifest; the release is not published.");
            }

            var key = releasePrefix + relative;
            if (expected.ContainsKey(relative) && bytes <= MaxCopyBytes && published.TryGetValue((sha256, bytes), out var source)
                && await TryCopyAsync(source, key, bytes, ct).ConfigureAwait(false))
            {
                Interlocked.Increment(ref copied);
                Interlocked.Add(ref bytesCopied, bytes);
                return;
            }

            await UploadAsync(path, key, bytes, ct).ConfigureAwait(false);
            await VerifyAsync(key, bytes, sha256, ct).ConfigureAwait(false);
            Interlocked.Increment(ref uploaded);
            Interlocked.Add(ref bytesUploaded, bytes);
        }

        // Several at once, as each request mostly waits on the store; the manifest only once every file it lists is there.
        await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = FilesInFlight, CancellationToken = cancellationToken }, PublishFileAsync)
            .ConfigureAwait(false);
        await PublishFileAsync(ReleaseManifest.FileName, cancellationToken).ConfigureAwait(false);

        await PutTextAsync(ReleasesPrefix + "LATEST", releaseId + "\n", cancellationToken).ConfigureAwait(false);
        return new S3Publication("s3://" + _options.Bucket + "/" + releasePrefix.TrimEnd('/'), uploaded, bytesUploaded, copied, bytesCopied, copied > 0 ? latest : null);
    }

    /// <summary>
    /// The table parts of the release <c>releases/LATEST</c> names, by SHA-256 and size, from its manifest; none when the
    /// bucket has no release yet, or LATEST or the manifest cannot be read (every part is then uploaded).
    /// </summary>
    private async Task<(string? ReleaseId, Dictionary<(string Sha256, long Bytes), string> Parts)> LatestPartsAsync(CancellationToken cancellationToken)
    {
        var parts = new Dictionary<(string, long), string>();
        var latestKey = ReleasesPrefix + "LATEST";
        if (!(await ListAsync(latestKey, cancellationToken).ConfigureAwait(false)).Contains(latestKey)) return (null, parts);
        string id;
        using (var response = await _client.GetObjectAsync(new GetObjectRequest { BucketName = _options.Bucket, Key = latestKey }, cancellationToken).ConfigureAwait(false))
        using (var reader = new StreamReader(response.ResponseStream))
        {
            id = (await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false)).Trim();
        }

        if (!ReleaseJobLoader.IsSafeReleaseId(id)) return (null, parts);
        var manifestKey = ReleasesPrefix + id + "/" + ReleaseManifest.FileName;
        try
        {
            using var response = await _client.GetObjectAsync(new GetObjectRequest { BucketName = _options.Bucket, Key = manifestKey }, cancellationToken).ConfigureAwait(false);
            using var document = await JsonDocument.ParseAsync(response.ResponseStream, cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var (path, listed) in ManifestFiles(document)) parts.TryAdd(listed, ReleasesPrefix + id + "/" + path);
        }
        catch (Exception ex) when (ex is AmazonS3Exception { StatusCode: System.Net.HttpStatusCode.NotFound } or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // A release without a readable manifest is not one to copy from; its parts are uploaded instead.
            parts.Clear();
        }

        return (id, parts);
    }

    /// <summary>
    /// Copies <paramref name="source"/> to <paramref name="key"/> inside the bucket; false when the source is gone (the
    /// part is then uploaded). The copy must have the source's size and, where the source's ETag is an MD5, its ETag.
    /// </summary>
    private async Task<bool> TryCopyAsync(string source, string key, long bytes, CancellationToken cancellationToken)
    {
        GetObjectMetadataResponse original;
        try
        {
            original = await _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = _options.Bucket, Key = source }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }

        if (original.ContentLength != bytes) return false;
        await _client.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = _options.Bucket, SourceKey = source, DestinationBucket = _options.Bucket, DestinationKey = key,
        }, cancellationToken).ConfigureAwait(false);
        var copy = await _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = _options.Bucket, Key = key }, cancellationToken).ConfigureAwait(false);
        // A multipart upload's ETag is not the MD5 of the object (it has a '-'), and a copy made in one request gets a new one.
        var md5 = original.ETag is { } etag && !etag.Contains('-', StringComparison.Ordinal);
        if (copy.ContentLength != bytes || (md5 && !string.Equals(copy.ETag, original.ETag, StringComparison.Ordinal)))
        {
            throw new InvalidDataException($"s3://{_options.Bucket}/{key}, copied from {source}, is {copy.ContentLength} bytes with ETag {copy.ETag}, not {bytes} bytes with {original.ETag}.");
        }

        return true;
    }

    /// <summary>Whether release <paramref name="releaseId"/> is published (its manifest exists).</summary>
    public async Task<bool> IsPublishedAsync(string releaseId, CancellationToken cancellationToken)
    {
        var manifest = ReleasesPrefix + releaseId + "/" + ReleaseManifest.FileName;
        return (await ListAsync(manifest, cancellationToken).ConfigureAwait(false)).Contains(manifest);
    }

    /// <summary>
    /// Downloads <c>releases/&lt;relativeKey&gt;</c> (state kept beside the releases, such as the split assignments)
    /// to <paramref name="localPath"/>; false when there is no such object.
    /// </summary>
    public async Task<bool> TryDownloadAsync(string relativeKey, string localPath, CancellationToken cancellationToken)
    {
        var key = ReleasesPrefix + relativeKey;
        if (!(await ListAsync(key, cancellationToken).ConfigureAwait(false)).Contains(key)) return false;
        using var response = await _client.GetObjectAsync(new GetObjectRequest { BucketName = _options.Bucket, Key = key }, cancellationToken).ConfigureAwait(false);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(localPath))!);
        await using var file = File.Create(localPath);
        await response.ResponseStream.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Uploads <paramref name="localPath"/> as <c>releases/&lt;relativeKey&gt;</c>, replacing it.</summary>
    public Task UploadAsync(string localPath, string relativeKey, CancellationToken cancellationToken) =>
        UploadAsync(localPath, ReleasesPrefix + relativeKey, new FileInfo(localPath).Length, cancellationToken);

    /// <summary>The table parts the manifest lists, with their SHA-256 and size.</summary>
    private static async Task<Dictionary<string, (string Sha256, long Bytes)>> ManifestFilesAsync(string releaseDirectory, CancellationToken cancellationToken)
    {
        var files = new Dictionary<string, (string, long)>(StringComparer.Ordinal);
        await using var stream = File.OpenRead(Path.Combine(releaseDirectory, ReleaseManifest.FileName));
        using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (var (path, listed) in ManifestFiles(document)) files[path] = listed;
        return files;
    }

    private static IEnumerable<(string Path, (string Sha256, long Bytes) Listed)> ManifestFiles(JsonDocument manifest)
    {
        foreach (var table in manifest.RootElement.GetProperty("tables").EnumerateObject())
        {
            foreach (var file in table.Value.GetProperty("files").EnumerateArray())
            {
                yield return (file.GetProperty("path").GetString()!, (file.GetProperty("sha256").GetString()!, file.GetProperty("bytes").GetInt64()));
            }
        }
    }

    private async Task RemoveLeftoversAsync(string releasePrefix, CancellationToken cancellationToken)
    {
        var keys = await ListAsync(releasePrefix, cancellationToken).ConfigureAwait(false);
        if (keys.Contains(releasePrefix + ReleaseManifest.FileName))
        {
            throw new InvalidOperationException($"s3://{_options.Bucket}/{releasePrefix} is already published (it has a manifest).");
        }

        for (var i = 0; i < keys.Count; i += 1000)
        {
            var request = new DeleteObjectsRequest
            {
                BucketName = _options.Bucket, Objects = keys.Skip(i).Take(1000).Select(k => new KeyVersion { Key = k }).ToList(),
            };
            await _client.DeleteObjectsAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Every key under <paramref name="prefix"/>.</summary>
    internal async Task<List<string>> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        var request = new ListObjectsV2Request { BucketName = _options.Bucket, Prefix = prefix };
        while (true)
        {
            var response = await _client.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
            foreach (var o in response.S3Objects ?? []) keys.Add(o.Key);
            if (response.IsTruncated != true || string.IsNullOrEmpty(response.NextContinuationToken)) return keys;
            request.ContinuationToken = response.NextContinuationToken;
        }
    }

    private async Task UploadAsync(string path, string key, long bytes, CancellationToken cancellationToken)
    {
        if (bytes <= MultipartThreshold)
        {
            await _client.PutObjectAsync(new PutObjectRequest { BucketName = _options.Bucket, Key = key, FilePath = path, UseChunkEncoding = false }, cancellationToken)
                .ConfigureAwait(false);
            return;
        }

        var upload = await _client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = _options.Bucket, Key = key }, cancellationToken)
            .ConfigureAwait(false);
        try
        {
            var parts = new List<PartETag>();
            for (var (number, position) = (1, 0L); position < bytes; number++, position += PartSize)
            {
                var part = await _client.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = _options.Bucket, Key = key, UploadId = upload.UploadId, PartNumber = number, FilePath = path, FilePosition = position,
                    PartSize = Math.Min(PartSize, bytes - position), UseChunkEncoding = false,
                }, cancellationToken).ConfigureAwait(false);
                parts.Add(new PartETag(number, part.ETag));
            }

            await _client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = _options.Bucket, Key = key, UploadId = upload.UploadId, PartETags = parts,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // An incomplete multipart upload costs storage until aborted; the caller still sees the original failure.
            await _client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = _options.Bucket, Key = key, UploadId = upload.UploadId }, CancellationToken.None)
                .ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Reads the object back and compares its size and SHA-256 with the local file's.</summary>
    private async Task VerifyAsync(string key, long bytes, string sha256, CancellationToken cancellationToken)
    {
        using var response = await _client.GetObjectAsync(new GetObjectRequest { BucketName = _options.Bucket, Key = key }, cancellationToken).ConfigureAwait(false);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long read = 0;
        try
        {
            int n;
            while ((n = await response.ResponseStream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, n);
                read += n;
            }
        }
        catch (AmazonClientException ex)
        {
            // The SDK checks a single-part object's MD5 ETag as it is read, and may catch a bad copy before our hash does.
            throw new InvalidDataException($"s3://{_options.Bucket}/{key} did not read back intact: {ex.Message}", ex);
        }

        var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (read != bytes || actual != sha256)
        {
            throw new InvalidDataException($"s3://{_options.Bucket}/{key} read back as {read} bytes with SHA-256 {actual}, not {bytes} bytes with {sha256}.");
        }
    }

    private Task PutTextAsync(string key, string text, CancellationToken cancellationToken) =>
        _client.PutObjectAsync(new PutObjectRequest { BucketName = _options.Bucket, Key = key, ContentBody = text, UseChunkEncoding = false }, cancellationToken);

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();
}

/// <summary>Where <see cref="S3ReleasePublisher.PublishAsync"/> put a release, and what it uploaded and copied inside the bucket.</summary>
/// <param name="Location">The release's location, <c>s3://bucket/prefix/releases/id</c>.</param>
/// <param name="FilesUploaded">Files uploaded (and read back).</param>
/// <param name="BytesUploaded">Their bytes.</param>
/// <param name="FilesCopied">Table parts copied inside the bucket from the latest release.</param>
/// <param name="BytesCopied">Their bytes.</param>
/// <param name="CopiedFrom">The release they were copied from; null when none was.</param>
public sealed record S3Publication(string Location, int FilesUploaded, long BytesUploaded, int FilesCopied, long BytesCopied, string? CopiedFrom)
{
    /// <summary>One line for the run's output.</summary>
    public string Describe() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"Uploaded {FilesUploaded:N0} files ({BytesUploaded / 1e6:N1} MB)")
        + (FilesCopied > 0
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"; copied {FilesCopied:N0} unchanged table parts ({BytesCopied / 1e6:N1} MB) inside the bucket from release {CopiedFrom}.")
            : "; no table part was copied (the bucket's latest release holds none of them).");
}

