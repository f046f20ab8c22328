using System.Buffers.Binary;
using Nccid.Batch.Dicom;
using Nccid.Batch.Tests.Fixtures;

namespace Nccid.Batch.Tests.Dicom;

public class DicomParserTests
{
    private static (DicomParseStatus Status, DicomHeader Header) ParseWhole(byte[] bytes, DicomReadOptions? options = null)
    {
        var header = new DicomHeader();
        var status = DicomParser.Parse(bytes, bytes.Length, header, options ?? DicomReadOptions.Default);
        return (status, header);
    }

    /// <summary>A comparable summary of a parse: every element record, the syntax and the stop point.</summary>
    private static string Fingerprint(DicomParseStatus status, DicomHeader h)
    {
        var sb = new System.Text.StringBuilder();
        sb.Append(status).Append('|').Append(h.Error).Append('|').Append(h.Syntax.Uid).Append('|').Append(h.PixelData).Append('|').Append(h.TopLevelCount).Append('\n');
        if (status == DicomParseStatus.Complete)
        {
            for (var i = 0; i < h.Count; i++)
            {
                var e = h[i];
                sb.Append(e.Tag.ToString("X8")).Append(' ').Append(e.VR).Append(' ').Append(e.Depth).Append(' ').Append(e.Parent).Append(' ')
                  .Append(e.Length).Append(' ').Append(Convert.ToHexString(h.ValueBytes(i))).Append('\n');
            }
        }

        return sb.ToString();
    }

    [Theory]
    [MemberData(nameof(PublicDicomFiles.Names), MemberType = typeof(PublicDicomFiles))]
    public void Parser_returns_a_result_for_every_public_test_file(string name)
    {
        var bytes = File.ReadAllBytes(PublicDicomFiles.Path(name));
        var (status, header) = ParseWhole(bytes);
        Assert.NotEqual(DicomParseStatus.NeedMoreData, status);
        if (status == DicomParseStatus.Error)
        {
            Assert.NotEqual(DicomErrorKind.None, header.Error.Kind);
            Assert.False(string.IsNullOrWhiteSpace(header.Error.Message));
        }
        else
        {
            Assert.True(header.TopLevelCount > 0 || header.Count > 0);
        }
    }

    [Theory]
    [InlineData("CT_small.dcm")]
    [InlineData("MR_small_bigendian.dcm")]
    [InlineData("MR_small_implicit.dcm")]
    [InlineData("image_dfl.dcm")]
    [InlineData("rtplan.dcm")]
    [InlineData("nested_priv_SQ.dcm")]
    [InlineData("UN_sequence.dcm")]
    [InlineData("ExplVR_BigEndNoMeta.dcm")]
    [InlineData("JPEG2000.dcm")]
    [InlineData("rtplan_truncated.dcm")]
    public void Parse_of_every_prefix_either_needs_more_or_equals_the_whole_parse(string name)
    {
        var bytes = File.ReadAllBytes(PublicDicomFiles.Path(name));
        var (wholeStatus, wholeHeader) = ParseWhole(bytes);
        var expected = Fingerprint(wholeStatus, wholeHeader);
        var header = new DicomHeader();
        var step = Math.Max(1, bytes.Length / 3000);
        for (var k = 0; k <= bytes.Length; k += step)
        {
            var status = DicomParser.Parse(bytes.AsMemory(0, k), bytes.Length, header, DicomReadOptions.Default);
            if (status == DicomParseStatus.NeedMoreData)
            {
                Assert.True(header.RequiredLength > k, $"prefix {k}: asked for {header.RequiredLength} bytes, which it already had");
                continue;
            }

            Assert.Equal(expected, Fingerprint(status, header));
        }

        // Growing one step at a time from the smallest read, as the header reader does, reaches the same result.
        var have = 1;
        while (true)
        {
            var status = DicomParser.Parse(bytes.AsMemory(0, have), bytes.Length, header, DicomReadOptions.Default);
            if (status != DicomParseStatus.NeedMoreData)
            {
                Assert.Equal(expected, Fingerprint(status, header));
                break;
            }

            have = (int)Math.Min(bytes.Length, Math.Max(header.RequiredLength, have + 1));
        }
    }

    [Fact]
    public void Reader_stops_before_pixel_data_without_reading_it()
    {
        var bytes = File.ReadAllBytes(PublicDicomFiles.Path("CT_small.dcm"));
        var (status, whole) = ParseWhole(bytes);
        Assert.Equal(DicomParseStatus.Complete, status);
        var pixel = Assert.IsType<PixelDataInfo>(whole.PixelData);
        Assert.Equal(0x7FE00010u, pixel.Tag);
        Assert.Equal(DicomVR.OW, pixel.VR);
        Assert.Equal(32768u, pixel.Length);
        Assert.Equal(new byte[] { 0xE0, 0x7F, 0x10, 0x00, (byte)'O', (byte)'W' }, bytes.AsSpan((int)pixel.ValueOffset - 12, 6).ToArray());

        // Only the bytes up to the pixel data value are supplied; the rest of the file is left unread.
        var header = new DicomHeader();
        var partial = DicomParser.Parse(bytes.AsMemory(0, (int)pixel.ValueOffset), bytes.Length, header, DicomReadOptions.Default);
        Assert.Equal(DicomParseStatus.Complete, partial);
        Assert.Equal(whole.TopLevelCount, header.TopLevelCount);
    }

    [Fact]
    public void Encapsulated_pixel_data_is_recorded_with_undefined_length()
    {
        var (status, header) = ParseWhole(File.ReadAllBytes(PublicDicomFiles.Path("JPEG2000.dcm")));
        Assert.Equal(DicomParseStatus.Complete, status);
        Assert.True(header.PixelData!.Value.IsEncapsulated);
        Assert.Null(header.PixelData.Value.Length);
        Assert.True(header.Syntax.Encapsulated);
    }

    [Fact]
    public void Stop_tag_is_configurable()
    {
        var bytes = File.ReadAllBytes(PublicDicomFiles.Path("CT_small.dcm"));
        var (_, all) = ParseWhole(bytes);
        var (status, early) = ParseWhole(bytes, DicomReadOptions.Default with { StopTag = 0x00200000 });
        Assert.Equal(DicomParseStatus.Complete, status);
        Assert.True(early.TopLevelCount < all.TopLevelCount);
        Assert.True(early.PixelData!.Value.Tag >= 0x00200000);
        for (var i = 0; i < early.TopLevelCount; i++) Assert.True(early[early.TopLevelIndex(i)].Tag < 0x00200000);
    }

    [Fact]
    public void A_four_gigabyte_length_is_an_invalid_length_error_with_its_offset()
    {
        var bytes = File.ReadAllBytes(PublicDicomFiles.Path("CT_small.dcm"));
        var (_, good) = ParseWhole(bytes);
        var index = good.FindTopLevel(0x00081030 /* StudyDescription, LO */);
        Assert.True(index < 0 || true);
        // Rewrite (0008,0005) SpecificCharacterSet (CS, short length) as UT with a 0xFFFFFFF0 length.
        var at = good[good.FindTopLevel(0x00080005)].ValueOffset - 8;
        var hostile = (byte[])bytes.Clone();
        hostile[at + 4] = (byte)'U';
        hostile[at + 5] = (byte)'T';
        var patched = new byte[hostile.Length + 4];
        Array.Copy(hostile, 0, patched, 0, at + 6);
        patched[at + 6] = 0;
        patched[at + 7] = 0;
        BinaryPrimitives.WriteUInt32LittleEndian(patched.AsSpan(at + 8), 0xFFFFFFF0);
        Array.Copy(hostile, at + 8, patched, at + 12, hostile.Length - at - 8);
        var (status, header) = ParseWhole(patched);
        Assert.Equal(DicomParseStatus.Error, status);
        Assert.Equal(DicomErrorKind.InvalidLength, header.Error.Kind);
        Assert.Equal(at, header.Error.Offset);
        Assert.Contains("(0008,0005)", header.Error.Message);
    }

    [Fact]
    public void Sequences_nested_ten_thousand_deep_stop_at_the_depth_limit()
    {
        var body = new List<byte>();
        for (var i = 0; i < 10_000; i++)
        {
            body.AddRange(new byte[] { 0x08, 0x00, 0x15, 0x11, (byte)'S', (byte)'Q', 0, 0, 0xFF, 0xFF, 0xFF, 0xFF }); // (0008,1115) SQ undefined
            body.AddRange(new byte[] { 0xFE, 0xFF, 0x00, 0xE0, 0xFF, 0xFF, 0xFF, 0xFF }); // item, undefined
        }

        var file = Part10(body.ToArray());
        var (status, header) = ParseWhole(file);
        Assert.Equal(DicomParseStatus.Error, status);
        Assert.Equal(DicomErrorKind.DepthLimitExceeded, header.Error.Kind);
    }

    [Fact]
    public void A_sequence_that_never_ends_is_truncated_not_a_hang()
    {
        var body = new List<byte>();
        body.AddRange(new byte[] { 0x08, 0x00, 0x15, 0x11, (byte)'S', (byte)'Q', 0, 0, 0xFF, 0xFF, 0xFF, 0xFF });
        for (var i = 0; i < 50_000; i++) body.AddRange(new byte[] { 0xFE, 0xFF, 0x00, 0xE0, 0, 0, 0, 0 }); // empty items forever
        var (status, header) = ParseWhole(Part10(body.ToArray()));
        Assert.Equal(DicomParseStatus.Error, status);
        Assert.Equal(DicomErrorKind.Truncated, header.Error.Kind);
    }

    [Fact]
    public void Zero_byte_and_random_files_are_not_dicom()
    {
        var (s0, h0) = ParseWhole([]);
        Assert.Equal(DicomParseStatus.Error, s0);
        Assert.Equal(DicomErrorKind.NotDicom, h0.Error.Kind);
        var text = "This is a plain text file that somebody named image.dcm.\n"u8.ToArray();
        var (s1, h1) = ParseWhole(text);
        Assert.Equal(DicomParseStatus.Error, s1);
        Assert.Equal(DicomErrorKind.NotDicom, h1.Error.Kind);
    }

    [Fact]
    public void Parsing_a_header_again_allocates_almost_nothing()
    {
        var bytes = File.ReadAllBytes(PublicDicomFiles.Path("CT_small.dcm"));
        var header = new DicomHeader();
        for (var i = 0; i < 20; i++) DicomParser.Parse(bytes, bytes.Length, header, DicomReadOptions.Default);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++) DicomParser.Parse(bytes, bytes.Length, header, DicomReadOptions.Default);
        var perParse = (GC.GetAllocatedBytesForCurrentThread() - before) / 100;
        Assert.True(perParse <= 256, $"{perParse} bytes allocated per parse of a {header.Count}-element header");
    }

    [Fact]
    public void An_item_longer_than_its_sequence_ends_with_the_sequence()
    {
        // (0008,1115) SQ of 20 bytes holding one item that declares 256: the item ends where the sequence does.
        var body = new List<byte>();
        body.AddRange(new byte[] { 0x08, 0x00, 0x15, 0x11, (byte)'S', (byte)'Q', 0, 0, 20, 0, 0, 0 });
        body.AddRange(new byte[] { 0xFE, 0xFF, 0x00, 0xE0, 0x00, 0x01, 0, 0 });
        body.AddRange(new byte[] { 0x10, 0x00, 0x20, 0x00, (byte)'L', (byte)'O', 4, 0 });
        body.AddRange("ABCD"u8.ToArray());
        body.AddRange(new byte[] { 0x10, 0x00, 0x10, 0x00, (byte)'P', (byte)'N', 4, 0 });
        body.AddRange("A^B "u8.ToArray());
        var (status, header) = ParseWhole(Part10(body.ToArray()));
        Assert.Equal(DicomParseStatus.Complete, status);
        Assert.Equal(2, header.TopLevelCount);
        Assert.Equal("A^B", header.GetString(DicomTags.PatientName));
        var nested = Enumerable.Range(0, header.Count).Single(i => header[i].Tag == DicomTags.PatientID);
        Assert.Equal(2, header[nested].Depth);
        Assert.Equal("ABCD", header.GetStringAt(nested));
    }

    [Fact]
    public void An_element_past_the_end_of_a_shortened_item_is_still_an_invalid_length()
    {
        // The sequence holds 16 bytes, so the over-long item ends there, and its 12-byte element does not fit.
        var body = new List<byte>();
        body.AddRange(new byte[] { 0x08, 0x00, 0x15, 0x11, (byte)'S', (byte)'Q', 0, 0, 16, 0, 0, 0 });
        body.AddRange(new byte[] { 0xFE, 0xFF, 0x00, 0xE0, 0x00, 0x01, 0, 0 });
        var elementAt = body.Count;
        body.AddRange(new byte[] { 0x10, 0x00, 0x20, 0x00, (byte)'L', (byte)'O', 4, 0 });
        body.AddRange("ABCD"u8.ToArray());
        var file = Part10(body.ToArray());
        var (status, header) = ParseWhole(file);
        Assert.Equal(DicomParseStatus.Error, status);
        Assert.Equal(DicomErrorKind.InvalidLength, header.Error.Kind);
        Assert.Equal(file.Length - body.Count + elementAt, header.Error.Offset);
    }

    [Fact]
    public void Pixel_data_that_runs_past_the_end_of_the_file_is_truncated()
    {
        var body = new List<byte>();
        body.AddRange(new byte[] { 0x28, 0x00, 0x10, 0x00, (byte)'U', (byte)'S', 2, 0, 4, 0 });
        var pixelAt = body.Count;
        body.AddRange(new byte[] { 0xE0, 0x7F, 0x10, 0x00, (byte)'O', (byte)'W', 0, 0, 32, 0, 0, 0 });
        var whole = Part10([.. body, .. new byte[32]]);
        var (complete, _) = ParseWhole(whole);
        Assert.Equal(DicomParseStatus.Complete, complete);

        var cut = whole[..^10];
        var (status, header) = ParseWhole(cut);
        Assert.Equal(DicomParseStatus.Error, status);
        Assert.Equal(DicomErrorKind.Truncated, header.Error.Kind);
        Assert.Equal(cut.Length - 22 - body.Count + pixelAt, header.Error.Offset);
        Assert.Contains("(7FE0,0010) declares 32 bytes", header.Error.Message);

        // Known from the file length alone: the header bytes suffice, the pixel bytes are never asked for.
        var partialHeader = new DicomHeader();
        var partial = DicomParser.Parse(cut.AsMemory(0, cut.Length - 22), cut.Length, partialHeader, DicomReadOptions.Default);
        Assert.Equal(DicomParseStatus.Error, partial);
        Assert.Equal(header.Error, partialHeader.Error);
    }

    [Fact]
    public void A_meta_group_without_preamble_or_prefix_still_decides_the_data_set_encoding()
    {
        // Implicit VR after an explicit meta group, with the 128-byte preamble and "DICM" left out.
        var body = new List<byte>();
        body.AddRange(new byte[] { 0x08, 0x00, 0x60, 0x00, 2, 0, 0, 0 });
        body.AddRange("CT"u8.ToArray());
        body.AddRange(new byte[] { 0x10, 0x00, 0x20, 0x00, 4, 0, 0, 0 });
        body.AddRange("P123"u8.ToArray());
        var file = Part10(body.ToArray(), "1.2.840.10008.1.2")[132..];
        var (status, header) = ParseWhole(file);
        Assert.Equal(DicomParseStatus.Complete, status);
        Assert.True(header.HasFileMeta);
        Assert.False(header.HasPreamble);
        Assert.Equal(TransferSyntax.ImplicitVRLittleEndian, header.Syntax);
        Assert.Equal("CT", header.GetString(DicomTags.Modality));
        Assert.Equal("P123", header.GetString(DicomTags.PatientID));
    }

    [Theory]
    [InlineData("1.2.840.10008.1.2.1.99")]
    [InlineData("1.2.840.10008.1.2.4.95")]
    public void A_deflated_file_larger_than_the_header_limit_is_read_from_its_first_bytes(string syntax)
    {
        // The header, then 64 KiB of pixel data that does not compress: the file is far past the 8 KiB limit.
        var body = new List<byte>();
        body.AddRange(new byte[] { 0x10, 0x00, 0x20, 0x00, (byte)'L', (byte)'O', 4, 0 });
        body.AddRange("P123"u8.ToArray());
        body.AddRange(new byte[] { 0xE0, 0x7F, 0x10, 0x00, (byte)'O', (byte)'B', 0, 0, 0, 0, 1, 0 });
        var pixels = new byte[1 << 16];
        new Random(7).NextBytes(pixels);
        body.AddRange(pixels);
        var plain = Part10(body.ToArray(), syntax);
        var metaEnd = plain.Length - body.Count;
        using var deflated = new MemoryStream();
        deflated.Write(plain, 0, metaEnd);
        using (var deflate = new System.IO.Compression.DeflateStream(deflated, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true)) deflate.Write(body.ToArray());
        var file = deflated.ToArray();
        var options = DicomReadOptions.Default with { MaxHeaderBytes = 8192 };
        Assert.True(file.Length > 8 * options.MaxHeaderBytes);

        var header = new DicomHeader();
        Assert.Equal(DicomParseStatus.Complete, DicomParser.Parse(file.AsMemory(0, 4096), file.Length, header, options));
        Assert.True(header.Syntax.Deflated);
        Assert.Equal(syntax, header.Syntax.Uid);
        Assert.Equal("P123", header.GetString(DicomTags.PatientID));
        Assert.Equal(0x7FE00010u, header.PixelData!.Value.Tag);

        // A prefix that ends inside the header asks for more, never past the limit; the whole file parses the same.
        Assert.Equal(DicomParseStatus.NeedMoreData, DicomParser.Parse(file.AsMemory(0, metaEnd + 4), file.Length, header, options));
        Assert.InRange(header.RequiredLength, metaEnd + 5, options.MaxHeaderBytes);
        Assert.Equal(DicomParseStatus.Complete, DicomParser.Parse(file, file.Length, header, options));
        Assert.Equal("P123", header.GetString(DicomTags.PatientID));
    }

    internal static byte[] Part10(byte[] dataSet, string transferSyntax = "1.2.840.10008.1.2.1")
    {
        var ts = System.Text.Encoding.ASCII.GetBytes(transferSyntax.Length % 2 == 1 ? transferSyntax + "\0" : transferSyntax);
        var meta = new List<byte>();
        meta.AddRange(new byte[] { 0x02, 0x00, 0x10, 0x00, (byte)'U', (byte)'I', (byte)ts.Length, 0 });
        meta.AddRange(ts);
        var file = new List<byte>(new byte[128]);
        file.AddRange("DICM"u8.ToArray());
        file.AddRange(new byte[] { 0x02, 0x00, 0x00, 0x00, (byte)'U', (byte)'L', 4, 0 });
        var len = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(len, (uint)meta.Count);
        file.AddRange(len);
        file.AddRange(meta);
        file.AddRange(dataSet);
        return file.ToArray();
    }
}
