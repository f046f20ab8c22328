using System.Text;
using Nccid.Batch.Storage;

namespace Nccid.Batch.Tests.Storage;

public sealed class S3InventoryManifestTests
{
    private const string Where = "s3://reports/inv/manifest.json";

    [Fact]
    public void A_manifest_as_S3_writes_it_is_read_with_the_destination_bucket_name_and_creation_time()
    {
        var manifest = S3InventoryManifest.Parse(Encoding.UTF8.GetBytes("""
            { "sourceBucket": "imaging", "destinationBucket": "arn:aws:s3:::reports", "version": "2016-11-30", "creationTimestamp": "1514944800000",
              "fileFormat": "CSV", "fileSchema": "Bucket, Key, Size",
              "files": [ { "key": "inv/data/a.csv.gz", "size": 2147483647, "MD5checksum": "F11166069F1990ABEB9C97ACE9CDFABC" } ] }
            """), Where);

        Assert.Equal("imaging", manifest.SourceBucket);
        Assert.Equal("reports", manifest.DestinationBucket);
        Assert.Equal(new DateTimeOffset(2018, 1, 3, 2, 0, 0, TimeSpan.Zero), manifest.CreatedUtc);
        Assert.Equal([new S3InventoryFile("inv/data/a.csv.gz", 2147483647, "f11166069f1990abeb9c97ace9cdfabc")], manifest.Files);
    }

    [Theory]
    [InlineData("""{ "sourceBucket": "imaging" """, "s3://reports/inv/manifest.json is not valid JSON")]
    [InlineData("""{ "destinationBucket": "r", "creationTimestamp": "1", "fileFormat": "CSV", "fileSchema": "Key", "files": [] }""", "at $.sourceBucket: required, a non-empty string.")]
    [InlineData("""{ "sourceBucket": "s", "destinationBucket": "r", "creationTimestamp": "soon", "fileFormat": "CSV", "fileSchema": "Key", "files": [] }""", "at $.creationTimestamp: required, milliseconds since 1970-01-01 UTC")]
    [InlineData("""{ "sourceBucket": "s", "destinationBucket": "r", "creationTimestamp": "1", "fileFormat": "CSV", "fileSchema": "Key", "files": [ { "key": "k", "size": "-1", "MD5checksum": "00" } ] }""", "at $.files[0].size: required, a non-negative number of bytes.")]
    [InlineData("""{ "sourceBucket": "s", "destinationBucket": "r", "creationTimestamp": "1", "fileFormat": "CSV", "fileSchema": "Key", "files": [ { "key": "k", "size": 3, "MD5checksum": "00" } ] }""", "at $.files[0].MD5checksum: 32 hexadecimal digits expected.")]
    public void A_bad_manifest_is_rejected_naming_the_file_and_the_field(string json, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => S3InventoryManifest.Parse(Encoding.UTF8.GetBytes(json), Where));
        Assert.StartsWith(Where, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_sort_in_the_byte_order_of_their_UTF_8_encoding()
    {
        string[] keys = ["a/b", "a-b", "a/\uE000", "a/\U0001F600", "a/\uFFFD", "a/z", "a/\u00e9", "a", "a/\U00010000x", "b"];
        var expected = keys.OrderBy(k => Encoding.UTF8.GetBytes(k), Comparer<byte[]>.Create((x, y) => x.AsSpan().SequenceCompareTo(y))).ToArray();

        var sorted = keys.Order(Utf8KeyComparer.Instance).ToArray();

        Assert.Equal(expected, sorted);
        Assert.NotEqual(expected, keys.Order(StringComparer.Ordinal).ToArray());
    }
}
