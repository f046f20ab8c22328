using System.Globalization;
using System.Text.Json;
using Nccid.Batch.Storage;

namespace Nccid.Batch.Tables;

/// <summary>
/// A scan's summary as JSON: counts, bytes, rates and, for S3, requests per object, bytes fetched against bytes
/// stored and the listing used (with the inventory's age). Written as <c>scan-summary.json</c> beside a scan's or an
/// audit's tables and as the <c>scan</c> object of a release's <c>summary.json</c>. Holds no credentials.
/// </summary>
public static class ScanSummaryJson
{
    /// <summary>The file name beside a scan's or an audit's tables.</summary>
    public const string FileName = "scan-summary.json";

    /// <summary>Writes <paramref name="summary"/> as one JSON object (named <paramref name="propertyName"/> when given).</summary>
    public static void Write(Utf8JsonWriter writer, ScanSummary summary, string? propertyName = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(summary);
        if (propertyName is null) writer.WriteStartObject();
        else writer.WriteStartObject(propertyName);
        writer.WriteString("source", summary.Source);
        writer.WriteNumber("objects", summary.Files);
        writer.WriteNumber("errors", summary.Errors);
        writer.WriteNumber("excluded", summary.Excluded);
        writer.WriteNumber("bytes_stored", summary.BytesStored);
        writer.WriteNumber("bytes_fetched", summary.BytesRead);
        writer.WriteNumber("fetched_to_stored_ratio", Math.Round(summary.FetchedRatio, 6));
        writer.WriteNumber("header_reads", summary.Requests);
        writer.WriteNumber("elapsed_seconds", Math.Round(summary.Elapsed.TotalSeconds, 3));
        writer.WriteNumber("objects_per_second", Math.Round(summary.FilesPerSecond, 1));
        if (summary.Storage is { } storage)
        {
            writer.WriteNumber("requests", storage.Requests);
            writer.WriteNumber("requests_per_object", Math.Round(summary.RequestsPerObject ?? 0, 4));
            writer.WriteNumber("retries", storage.Retries);
            WriteListing(writer, storage.Listing);
        }
        else
        {
            WriteListing(writer, new ListingReport { Method = ListingMethod.Folder });
        }

        writer.WriteEndObject();
    }

    /// <summary>Writes <paramref name="summary"/> to <paramref name="path"/>, indented.</summary>
    public static void WriteFile(string path, ScanSummary summary)
    {
        using var stream = File.Create(path);
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        Write(writer, summary);
    }

    private static void WriteListing(Utf8JsonWriter writer, ListingReport listing)
    {
        writer.WriteStartObject("listing");
        writer.WriteString("method", listing.Method switch
        {
            ListingMethod.Inventory => "s3-inventory",
            ListingMethod.ListObjectsV2 => "ListObjectsV2",
            _ => "folder",
        });
        if (listing.Manifest is not null) writer.WriteString("inventory_manifest", listing.Manifest);
        if (listing.InventoryCreatedUtc is { } created) writer.WriteString("inventory_created_utc", created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        if (listing.InventoryAge is { } age) writer.WriteNumber("inventory_age_hours", Math.Round(age.TotalHours, 2));
        if (listing.FallbackReason is not null) writer.WriteString("fallback_reason", listing.FallbackReason);
        if (listing.Method == ListingMethod.Inventory)
        {
            writer.WriteNumber("inventory_files", listing.InventoryFiles);
            writer.WriteNumber("inventory_bytes", listing.InventoryBytes);
            writer.WriteNumber("not_current_versions", listing.NotCurrentVersions);
        }

        writer.WriteEndObject();
    }
}
