using System.Globalization;
using System.Text.Json;
using Nccid.Batch.Storage;

namespace Nccid.Batch.Tables;

/// <summary>
/// A scan's summary as JSON: counts, bytes, rates and, for S3, requests per object, bytes fetched against bytes
/// stored and the listing used (with the inventory's age). Written as <c>scan-summary.json</c> beside a scan's or an
/// audit's tables and, without the figures that depend on timing or on the run's clock, as the <c>scan</c> object of
/// a release's <c>summary.json</c> (a release's documents are reproducible). Holds no credentials.
/// </summary>
public static class ScanSummaryJson
{
    /// <summary>The file name beside a scan's or an audit's tables.</summary>
    public const string FileName = "scan-summary.json";

    /// <summary>Writes <paramref name="summary"/> as one JSON object (named <paramref name="propertyName"/> when given).</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="summary">The scan's summary.</param>
    /// <param name="propertyName">The object's name inside an enclosing object, or null for a top-level object.</param>
    /// <param name="runFigures">
    /// Whether to write what differs from run to run of the same input: elapsed time, objects/s, requests and retries
    /// (retries add requests), the inventory's age.
    /// </param>
    public static void Write(Utf8JsonWriter writer, ScanSummary summary, string? propertyName = null, bool runFigures = true)
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
        if (runFigures)
        {
            writer.WriteNumber("elapsed_seconds", Math.Round(summary.Elapsed.TotalSeconds, 3));
            writer.WriteNumber("objects_per_second", Math.Round(summary.FilesPerSecond, 1));
        }

        if (summary.Storage is { } storage)
        {
            if (runFigures)
            {
                writer.WriteNumber("requests", storage.Requests);
                writer.WriteNumber("requests_per_object", Math.Round(summary.RequestsPerObject ?? 0, 4));
                writer.WriteNumber("retries", storage.Retries);
            }

            WriteListing(writer, storage.Listing, runFigures);
        }
        else
        {
            WriteListing(writer, new ListingReport { Method = ListingMethod.Folder }, runFigures);
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

    private static void WriteListing(Utf8JsonWriter writer, ListingReport listing, bool runFigures)
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
        if (runFigures && listing.InventoryAge is { } age) writer.WriteNumber("inventory_age_hours", Math.Round(age.TotalHours, 2));
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
