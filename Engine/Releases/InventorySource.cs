using System.Globalization;
using Nccid.Batch.Storage;

namespace Nccid.Batch.Releases;

/// <summary>
/// A job's <c>inventory</c>: the S3 Inventory report that lists its <c>s3://</c> source instead of ListObjectsV2.
/// </summary>
public sealed record InventorySource
{
    /// <summary>The default <see cref="MaxAgeDays"/>: a weekly inventory is still used the day after the next one was due.</summary>
    public const double DefaultMaxAgeDays = 8;

    /// <summary><c>s3://bucket/…/manifest.json</c>, or the inventory configuration's prefix (the newest manifest under it is used).</summary>
    public string Manifest { get; init; } = string.Empty;

    /// <summary>An older inventory is not used; the source is listed with ListObjectsV2 instead.</summary>
    public double MaxAgeDays { get; init; } = DefaultMaxAgeDays;

    /// <summary>When true, an unusable inventory fails the run instead of falling back to ListObjectsV2.</summary>
    public bool Required { get; init; }

    /// <summary>The storage options this stands for.</summary>
    public S3InventoryOptions ToOptions() => new() { Manifest = Manifest, MaxAge = TimeSpan.FromDays(MaxAgeDays), Required = Required };

    /// <summary>Every problem, each naming its JSON path under <c>$.inventory</c>.</summary>
    public IReadOnlyList<string> Validate(string source)
    {
        var problems = new List<string>();
        if (source is null || !StorageLocation.IsS3(source)) problems.Add("at $.inventory: an S3 Inventory lists an s3:// source only; $.source is a folder.");
        if (Manifest is null || !StorageLocation.IsS3(Manifest))
        {
            problems.Add("at $.inventory.manifest: required; s3://bucket/…/manifest.json or the inventory configuration's prefix (s3://bucket/destination-prefix/source-bucket/config-ID).");
        }
        else
        {
            try
            {
                S3StoreOptions.Parse(Manifest);
            }
            catch (ArgumentException ex)
            {
                problems.Add("at $.inventory.manifest: " + ex.Message);
            }
        }

        if (double.IsNaN(MaxAgeDays) || MaxAgeDays is <= 0 or > 366)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"at $.inventory.maxAgeDays: must be more than 0 and at most 366 (is {MaxAgeDays})."));
        }

        return problems;
    }
}
