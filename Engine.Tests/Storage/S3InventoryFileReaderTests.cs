using System.IO.Compression;
using System.Text;
using Nccid.Batch.Storage;
using Nccid.Batch.Tests.Tables;

namespace Nccid.Batch.Tests.Storage;

public sealed class S3InventoryFileReaderTests
{
    private const string Where = "s3://reports/inv/data/part-000.csv.gz";

    [Fact]
    public void Csv_rows_are_read_by_the_schema_with_keys_URL_decoded_and_older_versions_marked()
    {
        using var temp = new TempDirectory();
        var path = Gzip(temp.Path, """
            "imaging","a/b%20c%2Bd+e.dcm","false","false","12","2026-11-20T10:11:12.345Z"
            "imaging","caf%C3%A9.dcm","true","false","7","2026-11-21T00:00:00.000Z"
            "imaging","gone.dcm","true","true","","2026-11-21T00:00:00.000Z"

            """);

        var rows = S3InventoryFileReader.ReadCsvGz(path, "Bucket, Key, IsLatest, IsDeleteMarker, Size, LastModifiedDate", Where).ToArray();

        Assert.Equal(
        [
            new S3InventoryRow("imaging", "a/b c+d e.dcm", 12, new DateTime(2026, 11, 20, 10, 11, 12, 345, DateTimeKind.Utc), IsCurrent: false),
            new S3InventoryRow("imaging", "caf\u00e9.dcm", 7, new DateTime(2026, 11, 21, 0, 0, 0, DateTimeKind.Utc), IsCurrent: true),
            new S3InventoryRow("imaging", "gone.dcm", null, new DateTime(2026, 11, 21, 0, 0, 0, DateTimeKind.Utc), IsCurrent: false),
        ], rows);
        Assert.Equal(DateTimeKind.Utc, rows[0].ModifiedUtc.Kind);
    }

    [Fact]
    public void Csv_entity_tags_are_read_without_their_quotes_and_a_weak_tag_keeps_its_mark()
    {
        using var temp = new TempDirectory();
        var path = Gzip(temp.Path, """"
            "a.dcm","1","0cc175b9c0f1b6a831c399e269772661"
            "b.dcm","2","""92eb5ffee6ae2fec3ad71c777531578f-3"""
            "c.dcm","3",""
            "d.dcm","4","W/""4a8a08f09d37b73795649038408b5f33"""

            """");

        var rows = S3InventoryFileReader.ReadCsvGz(path, "Key, Size, ETag", Where).ToArray();

        Assert.Equal(["0cc175b9c0f1b6a831c399e269772661", "92eb5ffee6ae2fec3ad71c777531578f-3", null, "W/4a8a08f09d37b73795649038408b5f33"], rows.Select(r => r.ETag));
    }

    [Theory]
    [InlineData("\"imaging\",\"k.dcm\",\"12\"\n\"imaging\",\"j.dcm\"\n", "line 2: 2 fields, but the manifest's fileSchema names 3.")]
    [InlineData("\"imaging\",\"k.dcm\",\"twelve\"\n", "line 1: Size 'twelve' is not a number of bytes.")]
    [InlineData("\"imaging\",\"k.dcm,12\n", "line 1: a quoted field is not closed, or text follows its closing quote.")]
    [InlineData("\"imaging\",\"k.dcm\"x,\"12\"\n", "line 1: a quoted field is not closed, or text follows its closing quote.")]
    public void A_malformed_csv_line_is_named_with_its_file_and_line(string content, string expected)
    {
        using var temp = new TempDirectory();
        var path = Gzip(temp.Path, content);

        var error = Assert.Throws<InvalidDataException>(() => S3InventoryFileReader.ReadCsvGz(path, "Bucket, Key, Size", Where).ToArray());

        Assert.Equal(Where + ": " + expected, error.Message);
    }

    [Fact]
    public void A_schema_without_size_is_refused_before_reading()
    {
        var error = Assert.Throws<InvalidDataException>(() => S3InventoryFileReader.ReadCsvGz("unused", "Bucket, Key, ETag", Where));
        Assert.Equal(Where + ": the inventory has no Size field; add Size to the inventory configuration's optional fields.", error.Message);
    }

    private static string Gzip(string folder, string content)
    {
        var path = Path.Combine(folder, "part.csv.gz");
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        gzip.Write(Encoding.UTF8.GetBytes(content));
        return path;
    }
}
