using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Nccid.Batch.Storage;

/// <summary>
/// Objects are the keys under a prefix of an S3 bucket (AWS or an S3-compatible server). Listing is
/// ListObjectsV2, flat (no delimiter); a header read is one ranged GET streamed into the caller's buffer.
/// </summary>
/// <remarks>
/// <para>
/// Order: S3 lists keys in UTF-8 binary order of the whole key, and this store yields them as listed.
/// <see cref="LocalFileStore"/> sorts folder by folder, which agrees except where a name holds a character that
/// sorts before '/' (space, '!', '-', '.', …) and a sibling folder's name is a prefix of it (<c>a-b/x</c> comes
/// before <c>a/y</c> here, after it on disk), or holds characters outside the Basic Multilingual Plane. Both
/// orders keep a folder's keys together, and each is stable, so a scan's output is deterministic for a source.
/// </para>
/// <para>
/// Retries are ours, not the SDK's: the SDK is told not to retry (so a retry quota never silently turns
/// throttling into failures), and every request — including reading the body of a response, where connection
/// resets happen — is retried on 503 SlowDown, 5xx, timeouts and connection failures with full-jitter exponential
/// back-off. An object that still fails becomes an <see cref="IOException"/>, which the pipeline records as an
/// error row; a listing page that still fails stops the run (a partial listing must not be published).
/// Messages name <c>s3://bucket/key</c>, the status and S3's error code; never credentials.
/// </para>
/// </remarks>
public sealed class S3ObjectStore : IObjectStore, IObjectStoreStatistics, IDisposable
{
    private readonly S3StoreOptions _options;
    private readonly IAmazonS3 _client;
    private readonly SemaphoreSlim _requestSlots;
    private readonly string _folderPrefix;
    private long _requests;
    private long _bytesFetched;
    private long _retries;

    /// <summary>Creates a store reached through the SDK's standard chain of credentials, region and endpoint.</summary>
    /// <exception cref="ArgumentException">Invalid options, or no region or endpoint can be found.</exception>
    public S3ObjectStore(S3StoreOptions options)
        : this(options, credentials: null, Environment.GetEnvironmentVariable)
    {
    }

    /// <summary>Creates a store with explicit credentials (tests against a local server) or the standard chain when null.</summary>
    internal S3ObjectStore(S3StoreOptions options, AWSCredentials? credentials, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        _options = options.Validated();
        _folderPrefix = options.FolderPrefix;
        _requestSlots = new SemaphoreSlim(options.MaxConcurrentRequests, options.MaxConcurrentRequests);
        var config = CreateConfig(options, environment);
        try
        {
            _client = credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(credentials, config);
        }
        catch (AmazonClientException ex)
        {
            _requestSlots.Dispose();
            throw new ArgumentException(
                $"{options.Description} cannot be reached as configured: set AWS_REGION (or a profile's region) or an endpoint (AWS_ENDPOINT_URL_S3). The SDK says: {ex.Message}", nameof(options), ex);
        }
    }

    /// <inheritdoc />
    public string Description => _options.Description;

    /// <summary>Requests sent (listing pages and ranged GETs, retries included).</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Body bytes received by ranged GETs.</summary>
    public long BytesFetched => Interlocked.Read(ref _bytesFetched);

    /// <summary>Attempts that failed transiently and were retried.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>The bucket this store lists and reads.</summary>
    public string Bucket => _options.Bucket;

    /// <summary>The prefix this store is rooted at, as a folder: empty or ending in '/'.</summary>
    public string FolderPrefix => _folderPrefix;

    /// <inheritdoc />
    public StorageStatistics Statistics => new(Requests, BytesFetched, Retries, ListingReport.ListObjectsV2(null));

    /// <summary>
    /// Downloads the whole object <paramref name="key"/> of <paramref name="bucket"/> into the file <paramref name="path"/>
    /// (for inventory reports: read once). Retried like every request; a retry writes the file again.
    /// </summary>
    /// <exception cref="FileNotFoundException">The object does not exist.</exception>
    /// <exception cref="IOException">The object could not be read.</exception>
    internal Task<long> DownloadToFileAsync(string bucket, string key, string path, CancellationToken cancellationToken) =>
        WithRetriesAsync(bucket, key, static async (store, state, ct) =>
        {
            using var response = await store._client.GetObjectAsync(state.bucket, state.key, ct).ConfigureAwait(false);
            var file = new FileStream(state.path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            await using (file.ConfigureAwait(false))
            {
                await response.ResponseStream.CopyToAsync(file, ct).ConfigureAwait(false);
                return file.Length;
            }
        }, (bucket, key, path), cancellationToken);

    /// <summary>The bytes of the whole (small) object <paramref name="key"/> of <paramref name="bucket"/>, retried like every request.</summary>
    /// <exception cref="FileNotFoundException">The object does not exist.</exception>
    /// <exception cref="IOException">The object could not be read.</exception>
    internal Task<byte[]> DownloadBytesAsync(string bucket, string key, CancellationToken cancellationToken) =>
        WithRetriesAsync(bucket, key, static async (store, state, ct) =>
        {
            using var response = await store._client.GetObjectAsync(state.bucket, state.key, ct).ConfigureAwait(false);
            using var buffer = new MemoryStream();
            await response.ResponseStream.CopyToAsync(buffer, ct).ConfigureAwait(false);
            return buffer.ToArray();
        }, (bucket, key), cancellationToken);

    /// <summary>Every key under <paramref name="prefix"/> of <paramref name="bucket"/>, in S3's order.</summary>
    internal async IAsyncEnumerable<string> ListKeysAsync(string bucket, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix.Length == 0 ? null : prefix };
        while (true)
        {
            var response = await WithRetriesAsync(bucket, prefix, static (store, r, ct) => store._client.ListObjectsV2Async(r, ct), request, cancellationToken).ConfigureAwait(false);
            foreach (var o in response.S3Objects ?? [])
            {
                if (o.Key is not null) yield return o.Key;
            }

            if (response.IsTruncated != true || string.IsNullOrEmpty(response.NextContinuationToken)) yield break;
            request.ContinuationToken = response.NextContinuationToken;
        }
    }

    /// <summary>The SDK configuration: explicit or environment endpoint with path-style addressing, no SDK retries.</summary>
    internal static AmazonS3Config CreateConfig(S3StoreOptions options, Func<string, string?> environment)
    {
        var config = new AmazonS3Config
        {
            RetryMode = RequestRetryMode.Standard,
            MaxErrorRetry = 0,
            Timeout = options.RequestTimeout,
            MaxConnectionsPerServer = options.MaxConcurrentRequests,
            ForcePathStyle = options.ForcePathStyle,

            // A ranged GET cannot be checked against a whole-object checksum; S3-compatible servers may not send one.
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        };
        if (options.Profile is not null) config.Profile = new Profile(options.Profile);
        var endpoint = options.Endpoint?.ToString() ?? NonEmpty(environment("AWS_ENDPOINT_URL_S3")) ?? NonEmpty(environment("AWS_ENDPOINT_URL"));
        if (endpoint is not null)
        {
            config.ServiceURL = endpoint;
            config.ForcePathStyle = true;
            var region = options.Region ?? NonEmpty(environment("AWS_REGION")) ?? NonEmpty(environment("AWS_DEFAULT_REGION"));
            if (region is not null) config.AuthenticationRegion = region;
        }
        else if (options.Region is not null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }

        return config;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <inheritdoc />
    /// <remarks>
    /// Pages of up to 1,000 keys, one page in memory at a time. Keys ending in '/' with no bytes are folder
    /// markers written by consoles and tools, not objects, and are passed over.
    /// </remarks>
    public async IAsyncEnumerable<StoredObject> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = _options.Bucket, Prefix = _folderPrefix.Length == 0 ? null : _folderPrefix };
        while (true)
        {
            var response = await WithRetriesAsync(
                _options.Bucket, _folderPrefix, static (store, r, ct) => store._client.ListObjectsV2Async(r, ct), request, cancellationToken).ConfigureAwait(false);
            foreach (var o in response.S3Objects ?? [])
            {
                if (o.Key is null || !o.Key.StartsWith(_folderPrefix, StringComparison.Ordinal)) continue;
                var size = o.Size ?? 0;
                if (size == 0 && o.Key.EndsWith('/')) continue;
                var modified = o.LastModified is { } m ? m.ToUniversalTime() : default;
                yield return new StoredObject(o.Key[_folderPrefix.Length..], size, modified, ETag: StoredObject.TrimETag(o.ETag));
            }

            if (response.IsTruncated != true || string.IsNullOrEmpty(response.NextContinuationToken)) yield break;
            request.ContinuationToken = response.NextContinuationToken;
        }
    }

    /// <inheritdoc />
    public async ValueTask<int> ReadAsync(StoredObject storedObject, long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(storedObject);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (destination.Length == 0) return 0;
        return await WithRetriesAsync(_options.Bucket, _folderPrefix + storedObject.Key,
            static (store, state, ct) => store.GetRangeAsync(state.Key, state.ETag, state.Offset, state.Destination, ct),
            (Key: _folderPrefix + storedObject.Key, storedObject.ETag, Offset: offset, Destination: destination), cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> GetRangeAsync(string key, string? etag, long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        var request = new GetObjectRequest
        {
            BucketName = _options.Bucket, Key = key, ByteRange = new ByteRange(offset, offset + destination.Length - 1),
        };

        // Every range of a header comes from the object that was listed: a rewrite in between fails the read (412)
        // rather than joining bytes of two versions, and the next run reads the object again, as after any storage fault.
        if (etag is not null && !etag.StartsWith("W/", StringComparison.Ordinal)) request.EtagToMatch = "\"" + etag + "\"";
        GetObjectResponse response;
        try
        {
            response = await _client.GetObjectAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            return 0; // The range starts at or past the end: the object is shorter than the caller hoped.
        }

        using (response)
        {
            var stream = response.ResponseStream;
            var total = 0;
            while (total < destination.Length)
            {
                var n = await stream.ReadAsync(destination[total..], cancellationToken).ConfigureAwait(false);
                if (n == 0) break;
                total += n;
            }

            Interlocked.Add(ref _bytesFetched, total);
            return total;
        }
    }

    private async Task<TResult> WithRetriesAsync<TState, TResult>(
        string bucket, string key, Func<S3ObjectStore, TState, CancellationToken, Task<TResult>> attempt, TState state, CancellationToken cancellationToken)
    {
        for (var failures = 0; ; failures++)
        {
            Exception failure;
            await _requestSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                Interlocked.Increment(ref _requests);
                return await attempt(this, state, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is AmazonServiceException or IOException or HttpRequestException or SocketException or TimeoutException or OperationCanceledException)
            {
                failure = ex;
            }
            finally
            {
                _requestSlots.Release();
            }

            if (!IsTransient(failure) || failures >= _options.MaxRetries) throw Surface(bucket, key, failure, failures + 1);
            Interlocked.Increment(ref _retries);
            await Task.Delay(BackOff(failures), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Full jitter: a uniform delay up to the capped exponential, so throttled readers spread out.</summary>
    private TimeSpan BackOff(int failures)
    {
        var ceiling = Math.Min(_options.RetryMaxDelay.TotalMilliseconds, _options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(failures, 30)));
        return TimeSpan.FromMilliseconds(ceiling * Random.Shared.NextDouble());
    }

    /// <summary>Whether another attempt may succeed: throttling, server errors, timeouts and broken connections.</summary>
    internal static bool IsTransient(Exception exception)
    {
        if (exception is AmazonServiceException service && service.StatusCode != 0)
        {
            var status = (int)service.StatusCode;
            if (status is 429 or >= 500) return true;
            if (service.ErrorCode is "SlowDown" or "RequestTimeout" or "RequestTimeTooSkewed" or "Throttling" or "ThrottlingException") return true;
            if (status is >= 400 and < 500) return false;
        }

        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is IOException or HttpRequestException or SocketException or TimeoutException or OperationCanceledException) return true;
        }

        return false;
    }

    private static IOException Surface(string bucket, string key, Exception failure, int attempts)
    {
        var where = "s3://" + bucket + "/" + key;
        var tries = attempts == 1 ? "" : " after " + attempts.ToString(System.Globalization.CultureInfo.InvariantCulture) + " attempts";
        if (failure is AmazonServiceException { StatusCode: HttpStatusCode.NotFound })
        {
            return new FileNotFoundException($"{where} does not exist (404{Code(failure)}).");
        }

        if (failure is AmazonServiceException { StatusCode: HttpStatusCode.PreconditionFailed })
        {
            return new IOException($"{where} changed after it was listed (412{Code(failure)}): the next run reads it again.");
        }

        if (failure is AmazonServiceException { StatusCode: not 0 } service)
        {
            return new IOException($"{where} failed{tries}: HTTP {(int)service.StatusCode}{Code(service)}.");
        }

        // The SDK's messages for network failures name hosts and reasons, not credentials; keep only the type and kind.
        var root = failure;
        while (root.InnerException is not null) root = root.InnerException;
        var reason = root is SocketException socket ? socket.SocketErrorCode.ToString() : root.GetType().Name;
        return new IOException($"{where} failed{tries}: {reason}.");
    }

    private static string Code(Exception failure) =>
        failure is AmazonServiceException { ErrorCode: { Length: > 0 } code } ? " " + code : string.Empty;

    /// <inheritdoc />
    public void Dispose()
    {
        _client.Dispose();
        _requestSlots.Dispose();
    }
}
