using System.Globalization;

namespace Nccid.Batch.Storage;

/// <summary>
/// Which S3 Inventory report lists the objects of an S3 scan, and when it is too old to use. Immutable;
/// <see cref="Validate"/> reports every problem at once.
/// </summary>
public sealed record S3InventoryOptions
{
    /// <summary>
    /// <c>s3://bucket/key/manifest.json</c> (one report), or <c>s3://bucket/prefix</c> of an inventory configuration
    /// (<c>destination-prefix/source-bucket/config-ID</c>): the newest <c>YYYY-MM-DDTHH-MMZ/manifest.json</c> under it is used.
    /// </summary>
    public required string Manifest { get; init; }

    /// <summary>An inventory older than this by the run's clock is not used (the scan lists with ListObjectsV2 instead).</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromDays(7);

    /// <summary>When true an unusable inventory stops the run with its reason, instead of falling back to ListObjectsV2.</summary>
    public bool Required { get; init; }

    /// <summary>
    /// Inventory rows sorted in memory at once; beyond this, sorted runs are spilled to temporary files and merged,
    /// so memory stays bounded whatever the size of the bucket.
    /// </summary>
    public int SortRunEntries { get; init; } = 1_000_000;

    /// <summary>Every problem with these options, or an empty list.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Manifest) || !StorageLocation.IsS3(Manifest))
        {
            errors.Add($"The inventory '{Manifest}' must be an s3://bucket/key location of a manifest.json or of an inventory configuration's prefix.");
        }
        else
        {
            try
            {
                S3StoreOptions.Parse(Manifest);
            }
            catch (ArgumentException ex)
            {
                errors.Add("The inventory location is not valid: " + ex.Message);
            }
        }

        if (MaxAge <= TimeSpan.Zero) errors.Add(string.Create(CultureInfo.InvariantCulture, $"The inventory's maximum age must be positive (is {MaxAge})."));
        if (SortRunEntries < 2) errors.Add("SortRunEntries must be at least 2.");
        return errors;
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem, when there are any.</summary>
    public S3InventoryOptions Validated()
    {
        var errors = Validate();
        if (errors.Count > 0) throw new ArgumentException("Invalid inventory options: " + string.Join(" ", errors));
        return this;
    }
}
