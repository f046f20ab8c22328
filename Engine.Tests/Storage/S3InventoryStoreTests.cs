using Microsoft.Extensions.Time.Testing;
using Nccid.Batch.Pipeline;
using Nccid.Batch.Storage;
using Nccid.Batch.Synthetic;
using Nccid.Batch.Tables;
using Nccid.Batch.Tests.Fixtures;
using Nccid.Batch.Tests.Tables;

namespace Nccid.Batch.Tests.Storage;

/// <summary>
/// S3 Inventory reports (gzipped CSV and Parquet) built in the test server for an uploaded synthetic corpus, used as
/// the listing of a scan and compared with the ListObjectsV2 scan of the same bucket.
/// </summary>
public sealed class S3InventoryStoreTests(S3ServerFixture server) : IClassFixture<S3ServerFixture>
{
    private const string Prefix = "incoming";

    /// <summary>The run's clock; inventories are dated relative to it.</summary>
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Keys whose order or encoding is easy to get wrong: spaces, '+', ',', quotes, '%', non-ASCII, and a private-use
    /// character against one beyond the BMP (UTF-16 and UTF-8 order disagree there). No key has a sibling folder
    /// that is a prefix of it followed by a character below '/' ("odd-x/" beside "odd/"): s3rver lists folder by folder
    /// there, unlike S3, whose whole-key order the inventory listing follows.
    /// </summary>
    private static readonly string[] OddKeys =
    [
        "odd/a b+c,d.dcm", "odd/quote\"d.dcm", "odd/caf\u00e9.dcm", "odd/\uE000private-use.dcm", "odd/\U0001F600emoji.dcm", "odd/100%.dcm",
    ];

    [Theory]
    [InlineData("CSV")]
    [InlineData("Parquet")]
    public async Task A_scan_listed_by_the_inventory_equals_the_ListObjectsV2_scan_row_for_row(string format)
    {
        using var temp = new TempDirectory();
        var (source, destination, count) = await UploadCorpusAsync(temp.Path, "inv-" + format.ToLowerInvariant());
        var (manifest, _) = await InventoryBuilder.BuildAsync(server, source, destination, $"inv/{source}/weekly", format, Now.AddHours(-30));

        using var listed = server.OpenStore(source, Prefix);
        var clock = new FakeTimeProvider(Now);

        // Small sort runs, so the inventory's rows are spilled and merged as a large bucket's would be.
        using var inventory = new S3InventoryStore(server.OpenStore(source, Prefix), new S3InventoryOptions { Manifest = manifest, SortRunEntries = 40 }, clock);
        var byListing = await ScanAsync(listed, Path.Combine(temp.Path, "listed"));
        var byInventory = await ScanAsync(inventory, Path.Combine(temp.Path, "inventory"));

        Assert.Equal(count, byListing.Files);
        Assert.Equal(count, byInventory.Files);
        Assert.Equal(0, byInventory.Errors - byListing.Errors);
        Assert.Equal(byListing.BytesStored, byInventory.BytesStored);
        string Rows(ScanSummary s) => $"SELECT * EXCLUDE (filename) FROM read_parquet({DuckDb.Parts(s.TableDirectory)}, file_row_number = true, filename = true)";
        Assert.Equal(0L, Convert.ToInt64(DuckDb.Scalar($"SELECT count(*) FROM ({Rows(byListing)} EXCEPT ALL {Rows(byInventory)})")));
        Assert.Equal(0L, Convert.ToInt64(DuckDb.Scalar($"SELECT count(*) FROM ({Rows(byInventory)} EXCEPT ALL {Rows(byListing)})")));

        var listing = byInventory.Storage!.Listing;
        Assert.Equal(ListingMethod.Inventory, listing.Method);
        Assert.Equal(manifest, listing.Manifest);
        Assert.Equal(TimeSpan.FromHours(30), listing.InventoryAge);
        Assert.Equal(Now.AddHours(-30), listing.InventoryCreatedUtc);
        Assert.Equal(3, listing.InventoryFiles);
        Assert.Null(listing.FallbackReason);
        Assert.Contains("S3 Inventory " + manifest, byInventory.Describe(), StringComparison.Ordinal);
        Assert.Contains("1 d 6 h old", byInventory.Describe(), StringComparison.Ordinal);
        Assert.Equal(ListingMethod.ListObjectsV2, byListing.Storage!.Listing.Method);
        Assert.Contains("Listing: ListObjectsV2 (no inventory configured).", byListing.Describe(), StringComparison.Ordinal);

        // The inventory costs its manifest, checksum and three files instead of a listing page; every header is one GET.
        Assert.Equal(byInventory.Requests, byListing.Requests);
        Assert.Equal(byListing.Requests + 5, inventory.Statistics.Requests);

        // Both listings give each object's entity tag, unquoted, which the scan index compares.
        var listedObjects = await ListAsync(listed);
        Assert.All(listedObjects, o => Assert.Matches("^[0-9a-f]{32}(-[0-9]+)?$", o.ETag));
        Assert.Equal(listedObjects.Select(o => (o.Key, o.Size, o.ETag)), (await ListAsync(inventory)).Select(o => (o.Key, o.Size, o.ETag)));
    }

    [Fact]
    public async Task The_newest_manifest_under_an_inventory_configuration_prefix_is_used()
    {
        using var temp = new TempDirectory();
        var (source, destination, count) = await UploadCorpusAsync(temp.Path, "inv-newest", patients: 2);
        await InventoryBuilder.BuildAsync(server, source, destination, $"inv/{source}/daily", "CSV", Now.AddDays(-3));
        var (newest, _) = await InventoryBuilder.BuildAsync(server, source, destination, $"inv/{source}/daily", "CSV", Now.AddHours(-2));

        using var inventory = new S3InventoryStore(server.OpenStore(source, Prefix),
            new S3InventoryOptions { Manifest = $"s3://{destination}/inv/{source}/daily" }, new FakeTimeProvider(Now));
        var keys = await KeysAsync(inventory);

        Assert.Equal(count, keys.Count);
        Assert.Equal(newest, inventory.Statistics.Listing.Manifest);
        Assert.Equal(TimeSpan.FromHours(2), inventory.Statistics.Listing.InventoryAge);
    }

    [Fact]
    public async Task A_stale_inventory_is_not_used_and_the_summary_says_how_old_it_is()
    {
        using var temp = new TempDirectory();
        var (source, destination, count) = await UploadCorpusAsync(temp.Path, "inv-stale", patients: 2);
        var (manifest, _) = await InventoryBuilder.BuildAsync(server, source, destination, $"inv/{source}/weekly", "CSV", Now.AddDays(-10).AddHours(-4));

        using var inventory = new S3InventoryStore(server.OpenStore(source, Prefix), new S3InventoryOptions { Manifest = manifest, MaxAge = TimeSpan.FromDays(7) }, new FakeTimeProvider(Now));
        var summary = await ScanAsync(inventory, Path.Combine(temp.Path, "out"));

        Assert.Equal(count, summary.Files);
        var listing = summary.Storage!.Listing;
        Assert.Equal(ListingMethod.ListObjectsV2, listing.Method);
        Assert.Equal(TimeSpan.FromDays(10).Add(TimeSpan.FromHours(4)), listing.InventoryAge);
        Assert.Contains("10 d 4 h ago, more than the 7 d 0 h allowed", listing.FallbackReason, StringComparison.Ordinal);
        Assert.Contains("Listing: ListObjectsV2, because the inventory was not usable: it was created 2026-11-15 05:00Z", summary.Describe(), StringComparison.Ordinal);

        using var json = WriteJson(temp.Path, summary);
        var written = json.RootElement.GetProperty("listing");
        Assert.Equal("ListObjectsV2", written.GetProperty("method").GetString());
        Assert.Equal(244.0, written.GetProperty("inventory_age_hours").GetDouble());
        Assert.Equal(listing.FallbackReason, written.GetProperty("fallback_reason").GetString());
    }

    [Fact]
    public async Task A_corrupt_inventory_file_is_named_with_both_checksums_and_the_listing_falls_back_or_fails_when_required()
    {
        using var temp = new TempDirectory();
        var (source, destination, count) = await UploadCorpusAsync(temp.Path, "inv-corrupt", patients: 2);
        var (manifest, dataKeys) = await InventoryBuilder.BuildAsync(server, source, destination, $"inv/{source}/weekly", "CSV", Now.AddHours(-5));
        var bytes = await server.GetAsync(destination, dataKeys[1]);
        bytes[bytes.Length / 2] ^= 0x55;
        await server.PutAsync(destination, dataKeys[1], bytes);

        using var inventory = new S3InventoryStore(server.OpenStore(source, Prefix), new S3InventoryOptions { Manifest = manifest }, new FakeTimeProvider(Now));
        var keys = await KeysAsync(inventory);

        Assert.Equal(count, keys.Count);
        var listing = inventory.Statistics.Listing;
        Assert.Equal(ListingMethod.ListObjectsV2, listing.Method);
        Assert.StartsWith($"s3://{destination}/{dataKeys[1]} has MD5 ", listing.FallbackReason, StringComparison.Ordinal);
        Assert.Contains("but the manifest says ", listing.FallbackReason, StringComparison.Ordinal);
        Assert.Contains("corrupt or was replaced", listing.FallbackReason, StringComparison.Ordinal);

        using var required = new S3InventoryStore(server.OpenStore(source, Prefix), new S3InventoryOptions { Manifest = manifest, Required = true }, new FakeTimeProvider(Now));
        var failure = await Assert.ThrowsAsync<InvalidDataException>(() => KeysAsync(required));
        Assert.Equal("The S3 Inventory cannot be used: " + listing.FallbackReason, failure.Message);
    }

    [Fact]
    public async Task A_missing_manifest_or_one_of_another_bucket_falls_back_with_the_reason()
    {
        using var temp = new TempDirectory();
        var (source, destination, _) = await UploadCorpusAsync(temp.Path, "inv-other", patients: 1);
        var other = await server.CreateBucketAsync("inv-elsewhere");
        await server.PutAsync(other, "x.dcm", [1, 2, 3]);
        var (foreign, _) = await InventoryBuilder.BuildAsync(server, other, destination, $"inv/{other}/weekly", "CSV", Now.AddHours(-1));

        using var wrongBucket = new S3InventoryStore(server.OpenStore(source, Prefix), new S3InventoryOptions { Manifest = foreign }, new FakeTimeProvider(Now));
        await KeysAsync(wrongBucket);
        Assert.Equal($"the inventory lists bucket '{other}', not '{source}'.", wrongBucket.Statistics.Listing.FallbackReason);

        using var missing = new S3InventoryStore(server.OpenStore(source, Prefix),
            new S3InventoryOptions { Manifest = $"s3://{destination}/nothing/here/manifest.json" }, new FakeTimeProvider(Now));
        await KeysAsync(missing);
        Assert.Equal($"s3://{destination}/nothing/here/manifest.json does not exist (404 NoSuchKey).", missing.Statistics.Listing.FallbackReason);
    }

    [Fact]
    public async Task An_object_in_the_inventory_but_gone_from_the_bucket_becomes_an_error_row()
    {
        using var temp = new TempDirectory();
        var (source, destination, count) = await UploadCorpusAsync(temp.Path, "inv-gone", patients: 2);
        var (manifest, _) = await InventoryBuilder.BuildAsync(server, source, destination, $"inv/{source}/weekly", "Parquet", Now.AddHours(-5));
        var gone = (await KeysAsync(server.OpenStore(source, Prefix))).First(k => k.EndsWith(".dcm", StringComparison.Ordinal));
        await server.Client.DeleteObjectAsync(source, Prefix + "/" + gone);

        using var inventory = new S3InventoryStore(server.OpenStore(source, Prefix), new S3InventoryOptions { Manifest = manifest }, new FakeTimeProvider(Now));
        var summary = await ScanAsync(inventory, Path.Combine(temp.Path, "out"));

        Assert.Equal(count, summary.Files);
        var row = DuckDb.QueryRow($"SELECT status, error FROM read_parquet({DuckDb.Parts(summary.TableDirectory)}) WHERE path = '{gone}'");
        Assert.Equal("error", row["status"]);
        Assert.Equal($"Unreadable: The file cannot be read: It is listed by the S3 Inventory of 2026-11-25 04:00Z but is no longer in the bucket: s3://{source}/{Prefix}/{gone} does not exist (404 NoSuchKey).", row["error"]);
    }

    /// <summary>A synthetic corpus under <see cref="Prefix"/>, odd keys, a folder marker and objects beside the prefix.</summary>
    private async Task<(string Source, string Destination, long Objects)> UploadCorpusAsync(string temp, string hint, int patients = 6)
    {
        var corpus = Path.Combine(temp, "corpus-" + hint);
        SyntheticCorpusGenerator.Generate(corpus, new SyntheticCorpusOptions { Patients = patients, Seed = 5 }, CancellationToken.None);
        var source = await server.CreateBucketAsync(hint);
        var destination = await server.CreateBucketAsync(hint + "-reports");
        var uploaded = await server.UploadFolderAsync(source, Prefix + "/", corpus);
        var dicom = DicomFileWriter.ToBytes(ReferenceHeaders.ChestRadiograph(3, 1, withPixelData: false), new DicomWriteOptions());
        foreach (var key in OddKeys) await server.PutAsync(source, Prefix + "/" + key, dicom);
        await server.PutAsync(source, Prefix + "/empty-folder/", []);
        await server.PutAsync(source, Prefix + "-beside/decoy.dcm", dicom);
        await server.PutAsync(source, "top.dcm", dicom);
        return (source, destination, uploaded + OddKeys.Length);
    }

    private static Task<ScanSummary> ScanAsync(IObjectStore store, string output) =>
        InstanceScan.RunAsync(store, output, new ScanOptions { Parallelism = 8, Window = 64 }, new ParquetPartOptions(), includeHeaderJson: true,
            TimeProvider.System, null, CancellationToken.None);

    private static async Task<List<string>> KeysAsync(IObjectStore store) => (await ListAsync(store)).ConvertAll(o => o.Key);

    private static async Task<List<StoredObject>> ListAsync(IObjectStore store)
    {
        var objects = new List<StoredObject>();
        await foreach (var o in store.ListAsync(CancellationToken.None)) objects.Add(o);
        return objects;
    }

    private static System.Text.Json.JsonDocument WriteJson(string folder, ScanSummary summary)
    {
        var path = Path.Combine(folder, ScanSummaryJson.FileName);
        ScanSummaryJson.WriteFile(path, summary);
        return System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
    }
}
