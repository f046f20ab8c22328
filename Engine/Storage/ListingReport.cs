using System.Globalization;

namespace Nccid.Batch.Storage;

/// <summary>
/// Which listing a scan used. For an inventory: its manifest, when S3 created it and how old it was by the run's
/// clock. When an inventory was configured but not used, <see cref="FallbackReason"/> says why.
/// </summary>
public sealed record ListingReport
{
    /// <summary>Where the list of objects came from.</summary>
    public required ListingMethod Method { get; init; }

    /// <summary>The inventory manifest used or tried (<c>s3://bucket/key</c>), or null.</summary>
    public string? Manifest { get; init; }

    /// <summary>The inventory's creationTimestamp, when one was read.</summary>
    public DateTimeOffset? InventoryCreatedUtc { get; init; }

    /// <summary>The inventory's age when the run read it (the run's clock less creationTimestamp).</summary>
    public TimeSpan? InventoryAge { get; init; }

    /// <summary>Why a configured inventory was not used, or null.</summary>
    public string? FallbackReason { get; init; }

    /// <summary>Inventory data files read (each checked against the manifest's MD5).</summary>
    public int InventoryFiles { get; init; }

    /// <summary>Bytes of the inventory data files.</summary>
    public long InventoryBytes { get; init; }

    /// <summary>Inventory rows under the scanned prefix that are not current objects (older versions, delete markers).</summary>
    public long NotCurrentVersions { get; init; }

    /// <summary>A listing by ListObjectsV2, with the reason a configured inventory was not used.</summary>
    public static ListingReport ListObjectsV2(string? fallbackReason, string? manifest = null) =>
        new() { Method = ListingMethod.ListObjectsV2, FallbackReason = fallbackReason, Manifest = manifest };

    /// <summary>One line for people.</summary>
    public string Describe()
    {
        var inv = CultureInfo.InvariantCulture;
        return Method switch
        {
            ListingMethod.Folder => "Listing: folder walk.",
            ListingMethod.Inventory => string.Create(inv,
                $"Listing: S3 Inventory {Manifest}, created {InventoryCreatedUtc:yyyy-MM-dd HH:mm}Z, {DescribeAge(InventoryAge ?? TimeSpan.Zero)} old at the start of the run ({InventoryFiles} file{(InventoryFiles == 1 ? string.Empty : "s")}, {InventoryBytes / 1e6:N1} MB). Objects written since then are not in this scan."),
            _ => FallbackReason is null ? "Listing: ListObjectsV2 (no inventory configured)." : "Listing: ListObjectsV2, because the inventory was not usable: " + FallbackReason,
        };
    }

    /// <summary>An age as days and hours (or hours and minutes under a day).</summary>
    public static string DescribeAge(TimeSpan age)
    {
        var inv = CultureInfo.InvariantCulture;
        var negative = age < TimeSpan.Zero;
        var a = age.Duration();
        var text = a.TotalDays >= 1
            ? string.Create(inv, $"{(int)a.TotalDays} d {a.Hours} h")
            : string.Create(inv, $"{a.Hours} h {a.Minutes} min");
        return negative ? "-" + text : text;
    }
}
