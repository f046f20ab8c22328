using System.Globalization;

namespace Nccid.Batch.Storage;

/// <summary>
/// Where an S3 store is and how it is reached. Holds no secrets: credentials come from the SDK's standard chain
/// (environment variables, the shared credentials and config files, the named <see cref="Profile"/>, instance roles).
/// Immutable; <see cref="Validate"/> reports every problem at once.
/// </summary>
public sealed record S3StoreOptions
{
    /// <summary>The bucket name.</summary>
    public required string Bucket { get; init; }

    /// <summary>
    /// The key prefix the store is rooted at, without a leading '/'; empty for the whole bucket. A non-empty
    /// prefix is treated as a folder: keys are listed under <c>prefix/</c> and reported relative to it.
    /// </summary>
    public string Prefix { get; init; } = string.Empty;

    /// <summary>
    /// An S3-compatible endpoint (e.g. <c>http://127.0.0.1:9000</c>); null uses <c>AWS_ENDPOINT_URL_S3</c>, then
    /// <c>AWS_ENDPOINT_URL</c>, then the region's AWS endpoint. An explicit endpoint implies path-style addressing.
    /// </summary>
    public Uri? Endpoint { get; init; }

    /// <summary>The region (e.g. <c>eu-west-2</c>); null resolves it through the SDK's chain (AWS_REGION, profile).</summary>
    public string? Region { get; init; }

    /// <summary>A named profile of the shared config files; null uses AWS_PROFILE or <c>default</c>.</summary>
    public string? Profile { get; init; }

    /// <summary>Addresses the bucket as <c>endpoint/bucket/key</c> rather than <c>bucket.endpoint/key</c>.</summary>
    public bool ForcePathStyle { get; init; }

    /// <summary>Requests in flight at once, across all readers of this store (also the HTTP connection limit).</summary>
    public int MaxConcurrentRequests { get; init; } = 64;

    /// <summary>Retries after the first attempt for throttling (503 SlowDown), 5xx, timeouts and connection resets.</summary>
    public int MaxRetries { get; init; } = 6;

    /// <summary>The back-off before the first retry; it doubles each retry up to <see cref="RetryMaxDelay"/>, with full jitter.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest back-off between two attempts.</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one request may take before it counts as timed out (and is retried).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The prefix as a folder: empty, or ending in '/'.</summary>
    public string FolderPrefix => Prefix.Length == 0 || Prefix.EndsWith('/') ? Prefix : Prefix + "/";

    /// <summary>The store's location as <c>s3://bucket/prefix</c>, for logs and manifests.</summary>
    public string Description => "s3://" + Bucket + (Prefix.Length == 0 ? string.Empty : "/" + Prefix.TrimEnd('/'));

    /// <summary>Every problem with these options, or an empty list.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrEmpty(Bucket) || Bucket.Length is < 3 or > 63 || !Bucket.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '-'))
        {
            errors.Add($"Bucket '{Bucket}' is not a valid bucket name (3 to 63 lower-case letters, digits, '.' and '-').");
        }

        if (Prefix.StartsWith('/')) errors.Add("Prefix must not start with '/'.");
        if (Endpoint is not null && (!Endpoint.IsAbsoluteUri || Endpoint.Scheme is not ("http" or "https")))
        {
            errors.Add("Endpoint must be an absolute http or https URL.");
        }

        if (MaxConcurrentRequests is < 1 or > 4096) errors.Add(Invariant($"MaxConcurrentRequests must be between 1 and 4096 (is {MaxConcurrentRequests})."));
        if (MaxRetries is < 0 or > 20) errors.Add(Invariant($"MaxRetries must be between 0 and 20 (is {MaxRetries})."));
        if (RetryBaseDelay <= TimeSpan.Zero || RetryMaxDelay < RetryBaseDelay) errors.Add("RetryBaseDelay must be positive and at most RetryMaxDelay.");
        if (RequestTimeout <= TimeSpan.Zero) errors.Add("RequestTimeout must be positive.");
        return errors;
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem, when there are any.</summary>
    public S3StoreOptions Validated()
    {
        var errors = Validate();
        if (errors.Count > 0) throw new ArgumentException("Invalid S3 store options: " + string.Join(" ", errors));
        return this;
    }

    /// <summary>Parses <c>s3://bucket</c> or <c>s3://bucket/prefix</c> into options with the defaults.</summary>
    /// <exception cref="ArgumentException">The text is not an s3:// URI with a bucket.</exception>
    public static S3StoreOptions Parse(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!uri.StartsWith(StorageLocation.S3Scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"'{uri}' is not an s3:// location.", nameof(uri));
        }

        var rest = uri[StorageLocation.S3Scheme.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? rest : rest[..slash];
        var prefix = slash < 0 ? string.Empty : rest[(slash + 1)..];
        if (bucket.Length == 0) throw new ArgumentException($"'{uri}' names no bucket (expected s3://bucket/prefix).", nameof(uri));
        return new S3StoreOptions { Bucket = bucket, Prefix = prefix }.Validated();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
