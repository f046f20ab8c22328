using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;

namespace Nccid.Batch.Storage;

/// <summary>
/// An S3 store whose listing comes from an S3 Inventory report instead of ListObjectsV2: the manifest is read,
/// checked (its manifest.checksum when present, the source bucket, its age by the run's clock) and every data file
/// is downloaded, checked against the manifest's size and MD5 and read (gzipped CSV or Parquet). The rows under the
/// store's prefix are put into S3's key order, so a scan's rows come out as a ListObjectsV2 scan's would.
/// </summary>
/// <remarks>
/// The whole inventory is read and checked before the first object is returned, so an inventory that cannot be
/// used is known before anything is scanned: the listing then falls back to ListObjectsV2 and
/// <see cref="ListingReport.FallbackReason"/> says why (or, with <see cref="S3InventoryOptions.Required"/>, the
/// listing fails with that reason). Headers are read from the bucket as by <see cref="S3ObjectStore"/>; an object
/// in the inventory that is gone from the bucket becomes an error row saying so. Objects written after the
/// inventory was created are not listed: the report gives the inventory's age so that this is visible.
/// </remarks>
public sealed class S3InventoryStore : IObjectStore, IObjectStoreStatistics, IDisposable
{
    private const string ManifestName = "manifest.json";
    private readonly S3ObjectStore _inner;
    private readonly S3InventoryOptions _options;
    private readonly TimeProvider _time;
    private ListingReport _listing;

    /// <summary>Creates a store listing <paramref name="inner"/>'s bucket and prefix from the inventory of <paramref name="options"/>.</summary>
    /// <param name="inner">Reads headers and inventory files; disposed with this store.</param>
    /// <param name="options">Which inventory and how old it may be.</param>
    /// <param name="time">The run's clock, for the inventory's age.</param>
    public S3InventoryStore(S3ObjectStore inner, S3InventoryOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _inner = inner;
        _options = options.Validated();
        _time = time;
        _listing = new ListingReport { Method = ListingMethod.Inventory, Manifest = options.Manifest };
    }

    /// <inheritdoc />
    public string Description => _inner.Description;

    /// <inheritdoc />
    public StorageStatistics Statistics => _inner.Statistics with { Listing = Volatile.Read(ref _listing) };

    /// <inheritdoc />
    /// <exception cref="InvalidDataException">The inventory cannot be used and <see cref="S3InventoryOptions.Required"/> is set.</exception>
    public async IAsyncEnumerable<StoredObject> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (sorted, report) = await LoadAsync(cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _listing, report);
        if (sorted is null)
        {
            if (_options.Required) throw new InvalidDataException("The S3 Inventory cannot be used: " + report.FallbackReason);
            await foreach (var stored in _inner.ListAsync(cancellationToken).ConfigureAwait(false)) yield return stored;
            yield break;
        }

        using (sorted)
        {
            foreach (var stored in sorted.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return stored;
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask<int> ReadAsync(StoredObject storedObject, long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        try
        {
            return await _inner.ReadAsync(storedObject, offset, destination, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException ex) when (Volatile.Read(ref _listing) is { Method: ListingMethod.Inventory, InventoryCreatedUtc: { } created })
        {
            throw new FileNotFoundException(string.Create(CultureInfo.InvariantCulture,
                $"It is listed by the S3 Inventory of {created:yyyy-MM-dd HH:mm}Z but is no longer in the bucket: {ex.Message}"), ex);
        }
    }

    /// <summary>Reads the whole inventory, or returns why it cannot be used.</summary>
    private async Task<(SortedListing? Sorted, ListingReport Report)> LoadAsync(CancellationToken cancellationToken)
    {
        var location = S3StoreOptions.Parse(_options.Manifest);
        var report = ListingReport.ListObjectsV2(null, _options.Manifest);
        string manifestKey;
        try
        {
            manifestKey = await FindManifestAsync(location, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException)
        {
            return (null, report with { FallbackReason = ex.Message });
        }

        var manifestUri = "s3://" + location.Bucket + "/" + manifestKey;
        report = report with { Manifest = manifestUri };
        S3InventoryManifest manifest;
        try
        {
            var bytes = await DownloadBytesAsync(location.Bucket, manifestKey, cancellationToken).ConfigureAwait(false);
            await CheckManifestChecksumAsync(location.Bucket, manifestKey, bytes, cancellationToken).ConfigureAwait(false);
            manifest = S3InventoryManifest.Parse(bytes, manifestUri);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException)
        {
            return (null, report with { FallbackReason = ex.Message });
        }

        var age = _time.GetUtcNow() - manifest.CreatedUtc;
        report = report with { InventoryCreatedUtc = manifest.CreatedUtc, InventoryAge = age };
        var problem = Check(manifest, age);
        if (problem is not null) return (null, report with { FallbackReason = problem });

        var sorted = new SortedListing(_options.SortRunEntries);
        try
        {
            var (bytes, notCurrent) = await ReadFilesAsync(manifest, sorted, cancellationToken).ConfigureAwait(false);
            return (sorted, report with
            {
                Method = ListingMethod.Inventory, FallbackReason = null, InventoryFiles = manifest.Files.Count, InventoryBytes = bytes, NotCurrentVersions = notCurrent,
            });
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException)
        {
            sorted.Dispose();
            return (null, report with { FallbackReason = ex.Message });
        }
        catch
        {
            sorted.Dispose();
            throw;
        }
    }

    private string? Check(S3InventoryManifest manifest, TimeSpan age)
    {
        if (!string.Equals(manifest.SourceBucket, _inner.Bucket, StringComparison.Ordinal))
        {
            return $"the inventory lists bucket '{manifest.SourceBucket}', not '{_inner.Bucket}'.";
        }

        if (age > _options.MaxAge)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"it was created {manifest.CreatedUtc:yyyy-MM-dd HH:mm}Z, {ListingReport.DescribeAge(age)} ago, more than the {ListingReport.DescribeAge(_options.MaxAge)} allowed.");
        }

        if (!manifest.FileFormat.Equals("CSV", StringComparison.OrdinalIgnoreCase) && !manifest.FileFormat.Equals("Parquet", StringComparison.OrdinalIgnoreCase))
        {
            return $"its fileFormat is '{manifest.FileFormat}'; CSV and Parquet inventories are read.";
        }

        return null;
    }

    /// <summary>The manifest's key: the one named, or the newest dated manifest under an inventory configuration's prefix.</summary>
    private async Task<string> FindManifestAsync(S3StoreOptions location, CancellationToken cancellationToken)
    {
        var prefix = location.Prefix;
        if (prefix.EndsWith(ManifestName, StringComparison.Ordinal) && (prefix.Length == ManifestName.Length || prefix[^(ManifestName.Length + 1)] == '/')) return prefix;
        var folder = location.FolderPrefix;
        string? newest = null;
        await foreach (var key in _inner.ListKeysAsync(location.Bucket, folder, cancellationToken).ConfigureAwait(false))
        {
            // destination-prefix/source-bucket/config-ID/YYYY-MM-DDTHH-MMZ/manifest.json: one folder below, dated names sort by time.
            var rest = key.AsSpan(folder.Length);
            var slash = rest.IndexOf('/');
            if (slash <= 0 || !rest[(slash + 1)..].SequenceEqual(ManifestName)) continue;
            if (newest is null || string.CompareOrdinal(key, newest) > 0) newest = key;
        }

        return newest ?? throw new InvalidDataException($"no <date>/{ManifestName} was found under s3://{location.Bucket}/{folder}.");
    }

    private Task<byte[]> DownloadBytesAsync(string bucket, string key, CancellationToken cancellationToken) =>
        _inner.DownloadBytesAsync(bucket, key, cancellationToken);

    /// <summary>S3 writes manifest.checksum, the MD5 of manifest.json, beside it; a manifest without one is accepted.</summary>
    private async Task CheckManifestChecksumAsync(string bucket, string manifestKey, byte[] manifest, CancellationToken cancellationToken)
    {
        var checksumKey = manifestKey[..^ManifestName.Length] + "manifest.checksum";
        byte[] checksum;
        try
        {
            checksum = await DownloadBytesAsync(bucket, checksumKey, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            return;
        }

        var expected = Encoding.ASCII.GetString(checksum).Trim().ToLowerInvariant();
        var actual = Md5Hex(manifest);
        if (!string.Equals(expected, actual, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"s3://{bucket}/{manifestKey} has MD5 {actual}, but manifest.checksum says {expected}.");
        }
    }

    private async Task<(long Bytes, long NotCurrent)> ReadFilesAsync(S3InventoryManifest manifest, SortedListing sorted, CancellationToken cancellationToken)
    {
        var prefix = _inner.FolderPrefix;
        var parquet = manifest.FileFormat.Equals("Parquet", StringComparison.OrdinalIgnoreCase);
        long bytes = 0, notCurrent = 0;
        var folder = Directory.CreateTempSubdirectory("nccid-inventory-files-").FullName;
        try
        {
            foreach (var file in manifest.Files)
            {
                var where = "s3://" + manifest.DestinationBucket + "/" + file.Key;
                var path = Path.Combine(folder, "data");
                await _inner.DownloadToFileAsync(manifest.DestinationBucket, file.Key, path, cancellationToken).ConfigureAwait(false);
                bytes += await VerifyAsync(path, file, where, cancellationToken).ConfigureAwait(false);
                var rows = parquet
                    ? S3InventoryFileReader.ReadParquetAsync(path, where, cancellationToken)
                    : S3InventoryFileReader.ReadCsvGz(path, manifest.FileSchema, where).ToAsyncEnumerable();
                await foreach (var row in rows.ConfigureAwait(false))
                {
                    if (row.Bucket is not null && !string.Equals(row.Bucket, manifest.SourceBucket, StringComparison.Ordinal))
                    {
                        throw new InvalidDataException($"{where}: a row of bucket '{row.Bucket}' in the inventory of '{manifest.SourceBucket}'.");
                    }

                    if (!row.Key.StartsWith(prefix, StringComparison.Ordinal)) continue;
                    if (!row.IsCurrent)
                    {
                        notCurrent++;
                        continue;
                    }

                    var size = row.Size ?? 0;
                    if (size == 0 && row.Key.EndsWith('/')) continue; // A folder marker, passed over as by ListObjectsV2.
                    sorted.Add(new StoredObject(row.Key[prefix.Length..], size, row.ModifiedUtc, ETag: row.ETag));
                }

                File.Delete(path);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        return (bytes, notCurrent);
    }

    /// <summary>Checks a downloaded data file against the manifest's size and MD5; returns its size.</summary>
    private static async Task<long> VerifyAsync(string path, S3InventoryFile file, string where, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        if (stream.Length != file.Size)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"{where} has {stream.Length} bytes, but the manifest says {file.Size}: the inventory file is incomplete or was replaced."));
        }

#pragma warning disable CA5351 // S3 Inventory manifests list MD5; it detects corrupt or replaced files, it is not a security control.
        var actual = Convert.ToHexStringLower(await MD5.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
#pragma warning restore CA5351
        if (!string.Equals(actual, file.Md5, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{where} has MD5 {actual}, but the manifest says {file.Md5}: the inventory file is corrupt or was replaced.");
        }

        return stream.Length;
    }

#pragma warning disable CA5351 // manifest.checksum is an MD5, written by S3.
    private static string Md5Hex(byte[] bytes) => Convert.ToHexStringLower(MD5.HashData(bytes));
#pragma warning restore CA5351

    /// <inheritdoc />
    public void Dispose() => _inner.Dispose();
}
