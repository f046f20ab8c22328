using System.Buffers.Binary;
using System.Text;
using Nccid.Batch.Dicom;
using Nccid.Batch.Synthetic;
using Xunit;

namespace Nccid.Batch.Tests.Synthetic;

public sealed class DicomFileWriterTests : IDisposable
{
    private const string PatientId = "C123456";
    private const string SopInstanceUid = "2.25.1234567890123456789";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "nccid-writer-" + Guid.NewGuid().ToString("N"));

    public DicomFileWriterTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    public static TheoryData<SyntheticTransferSyntax> AllSyntaxes() =>
        new(Enum.GetValues<SyntheticTransferSyntax>());

    [Theory]
    [MemberData(nameof(AllSyntaxes))]
    public void Dcmdump_reads_patient_id_and_sop_instance_uid_in_every_transfer_syntax(SyntheticTransferSyntax syntax)
    {
        var path = WriteSample(syntax);

        var (exitCode, output) = ExternalDicomTools.Dcmdump(path);

        Assert.True(exitCode == 0, output);
        Assert.Contains("(0010,0020) LO [" + PatientId + "]", output, StringComparison.Ordinal);
        Assert.Contains("(0008,0018) UI [" + SopInstanceUid + "]", output, StringComparison.Ordinal);
        Assert.Contains("(0002,0010) UI =" + TransferSyntaxName(syntax), output, StringComparison.Ordinal);
        Assert.DoesNotContain("W: ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("E: ", output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AllSyntaxes))]
    public void Pydicom_reads_patient_id_and_sop_instance_uid_in_every_transfer_syntax(SyntheticTransferSyntax syntax)
    {
        var path = WriteSample(syntax);

        var (exitCode, output) = ExternalDicomTools.PydicomIdentifiers(path);

        Assert.True(exitCode == 0, output);
        Assert.Equal([PatientId, SopInstanceUid], output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [MemberData(nameof(AllSyntaxes))]
    public void Pydicom_reads_nested_sequences_binary_values_and_private_elements(SyntheticTransferSyntax syntax)
    {
        var path = WriteSample(syntax);
        const string script = """
            import pydicom,sys
            d=pydicom.dcmread(sys.argv[1])
            item=d.ProcedureCodeSequence[0]
            print(item.CodeValue, item.CodeMeaning, item.ModifierCodeSequence[0].CodeValue)
            print(len(d.ReferencedImageSequence), d.Rows, d.Columns, d.RescaleIntercept, d[0x0018,0x1164].value)
            print(d[0x0029,0x0010].value, d[0x0029,0x1008].value)
            """;

        var (exitCode, output) = ExternalDicomTools.PythonScript(script, path);

        Assert.True(exitCode == 0, output);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("RPYCHES Chest XR NESTED", lines[0]);
        Assert.Equal("2 4 4 -1024 [0.139, 0.139]", lines[1]);
        Assert.StartsWith("SIEMENS CSA HEADER ", lines[2], StringComparison.Ordinal);
        Assert.EndsWith("IMAGE NUM 4", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void File_meta_group_length_counts_every_meta_byte_after_it()
    {
        var bytes = DicomFileWriter.ToBytes(Sample(), new DicomWriteOptions());

        Assert.Equal("DICM"u8.ToArray(), bytes[128..132]);
        Assert.All(bytes[..128], b => Assert.Equal(0, b));
        Assert.Equal([0x02, 0x00, 0x00, 0x00, (byte)'U', (byte)'L', 0x04, 0x00], bytes[132..140]);
        var groupLength = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(140));
        var firstDataSetTag = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(144 + (int)groupLength));
        Assert.Equal(0x0008, firstDataSetTag);
        Assert.Equal([0x02, 0x00, 0x01, 0x00, (byte)'O', (byte)'B', 0, 0, 2, 0, 0, 0, 0, 1], bytes[144..158]);
    }

    [Fact]
    public void Raw_data_set_option_omits_preamble_and_meta_and_sorts_elements_by_tag()
    {
        var dataSet = new DicomDataSetBuilder()
            .AddString(new DicomTag(0x0010, 0x0020), DicomVR.LO, "C1")
            .AddString(new DicomTag(0x0008, 0x0060), DicomVR.CS, "CR");

        var bytes = DicomFileWriter.ToBytes(dataSet, new DicomWriteOptions { IncludePreamble = false, IncludeFileMeta = false });

        byte[] expected = [0x08, 0x00, 0x60, 0x00, (byte)'C', (byte)'S', 2, 0, (byte)'C', (byte)'R',
            0x10, 0x00, 0x20, 0x00, (byte)'L', (byte)'O', 2, 0, (byte)'C', (byte)'1'];
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void Strings_are_padded_with_space_and_uids_with_nul()
    {
        var dataSet = new DicomDataSetBuilder()
            .AddString(new DicomTag(0x0008, 0x0018), DicomVR.UI, "1.2.3")
            .AddString(new DicomTag(0x0010, 0x0010), DicomVR.PN, "Doe");

        var bytes = DicomFileWriter.ToBytes(dataSet, new DicomWriteOptions { IncludePreamble = false, IncludeFileMeta = false });

        Assert.Equal("1.2.3\0"u8.ToArray(), bytes[8..14]);
        Assert.Equal("Doe "u8.ToArray(), bytes[22..26]);
    }

    [Fact]
    public void Implicit_vr_writes_tag_and_four_byte_length_without_vr()
    {
        var dataSet = new DicomDataSetBuilder().AddUInt16(new DicomTag(0x0028, 0x0010), 512);

        var bytes = DicomFileWriter.ToBytes(dataSet, new DicomWriteOptions
        {
            IncludePreamble = false,
            IncludeFileMeta = false,
            TransferSyntax = SyntheticTransferSyntax.ImplicitVRLittleEndian,
        });

        Assert.Equal([0x28, 0x00, 0x10, 0x00, 2, 0, 0, 0, 0x00, 0x02], bytes);
    }

    [Fact]
    public void Big_endian_swaps_tags_lengths_and_binary_values_but_not_strings()
    {
        var dataSet = new DicomDataSetBuilder()
            .AddString(new DicomTag(0x0008, 0x0060), DicomVR.CS, "CT")
            .AddUInt16(new DicomTag(0x0028, 0x0010), 0x0102)
            .AddUInt32(new DicomTag(0x0028, 0x9001), 0x01020304);

        var bytes = DicomFileWriter.ToBytes(dataSet, new DicomWriteOptions
        {
            IncludePreamble = false,
            IncludeFileMeta = false,
            TransferSyntax = SyntheticTransferSyntax.ExplicitVRBigEndian,
        });

        byte[] expected =
        [
            0x00, 0x08, 0x00, 0x60, (byte)'C', (byte)'S', 0, 2, (byte)'C', (byte)'T',
            0x00, 0x28, 0x00, 0x10, (byte)'U', (byte)'S', 0, 2, 0x01, 0x02,
            0x00, 0x28, 0x90, 0x01, (byte)'U', (byte)'L', 0, 4, 0x01, 0x02, 0x03, 0x04,
        ];
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void Undefined_length_sequence_ends_with_item_and_sequence_delimiters()
    {
        var item = new DicomDataSetBuilder().AddString(new DicomTag(0x0008, 0x0100), DicomVR.SH, "AB");
        var dataSet = new DicomDataSetBuilder().AddSequence(new DicomTag(0x0008, 0x1032), [item], undefinedLength: true, undefinedItemLength: true);

        var bytes = DicomFileWriter.ToBytes(dataSet, new DicomWriteOptions { IncludePreamble = false, IncludeFileMeta = false });

        byte[] expected =
        [
            0x08, 0x00, 0x32, 0x10, (byte)'S', (byte)'Q', 0, 0, 0xFF, 0xFF, 0xFF, 0xFF,
            0xFE, 0xFF, 0x00, 0xE0, 0xFF, 0xFF, 0xFF, 0xFF,
            0x08, 0x00, 0x00, 0x01, (byte)'S', (byte)'H', 2, 0, (byte)'A', (byte)'B',
            0xFE, 0xFF, 0x0D, 0xE0, 0, 0, 0, 0,
            0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0,
        ];
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void Pixel_data_value_offset_points_at_the_first_pixel_byte()
    {
        var dataSet = Sample();
        using var stream = new MemoryStream();

        var result = DicomFileWriter.Write(stream, dataSet, new DicomWriteOptions());

        var bytes = stream.ToArray();
        Assert.Equal(bytes.Length, result.Length);
        Assert.Equal(bytes.Length - 32, result.PixelDataValueOffset);
        Assert.Equal([0xE0, 0x7F, 0x10, 0x00, (byte)'O', (byte)'W'], bytes[(int)(result.PixelDataValueOffset - 12)..(int)(result.PixelDataValueOffset - 6)]);
    }

    [Fact]
    public void Text_uses_the_data_set_encoding_for_specific_character_set_vrs_only()
    {
        var dataSet = new DicomDataSetBuilder(Encoding.UTF8)
            .AddString(new DicomTag(0x0008, 0x0005), DicomVR.CS, "ISO_IR 192")
            .AddString(new DicomTag(0x0010, 0x0010), DicomVR.PN, "Zoë");

        Assert.Equal("Zoë", dataSet.GetString(new DicomTag(0x0010, 0x0010)));
        var bytes = DicomFileWriter.ToBytes(dataSet, new DicomWriteOptions { IncludePreamble = false, IncludeFileMeta = false });
        Assert.Equal("ISO_IR 192"u8.ToArray(), bytes[8..18]);
        Assert.Equal("Zoë"u8.ToArray(), bytes[26..30]);
    }

    private static string TransferSyntaxName(SyntheticTransferSyntax syntax) => syntax switch
    {
        SyntheticTransferSyntax.ExplicitVRLittleEndian => "LittleEndianExplicit",
        SyntheticTransferSyntax.ImplicitVRLittleEndian => "LittleEndianImplicit",
        SyntheticTransferSyntax.ExplicitVRBigEndian => "BigEndianExplicit",
        SyntheticTransferSyntax.DeflatedExplicitVRLittleEndian => "DeflatedLittleEndianExplicit",
        SyntheticTransferSyntax.JpegBaseline => "JPEGBaseline",
        _ => "JPEG2000",
    };

    private static DicomDataSetBuilder Sample(SyntheticTransferSyntax syntax = SyntheticTransferSyntax.ExplicitVRLittleEndian)
    {
        var dataSet = new DicomDataSetBuilder()
            .AddString(new DicomTag(0x0008, 0x0005), DicomVR.CS, "ISO_IR 100")
            .AddString(new DicomTag(0x0008, 0x0016), DicomVR.UI, "1.2.840.10008.5.1.4.1.1.1")
            .AddString(new DicomTag(0x0008, 0x0018), DicomVR.UI, SopInstanceUid)
            .AddString(new DicomTag(0x0008, 0x0060), DicomVR.CS, "CR")
            .AddString(new DicomTag(0x0010, 0x0010), DicomVR.PN, PatientId)
            .AddString(new DicomTag(0x0010, 0x0020), DicomVR.LO, PatientId)
            .AddDecimalString(new DicomTag(0x0018, 0x1164), 0.139, 0.139)
            .AddUInt16(new DicomTag(0x0028, 0x0010), 4)
            .AddUInt16(new DicomTag(0x0028, 0x0011), 4)
            .AddDecimalString(new DicomTag(0x0028, 0x1052), -1024)
            .AddFloat64(new DicomTag(0x0018, 0x9306), 0.5)
            .AddInt16(new DicomTag(0x0028, 0x0106), -5);

        var modifier = dataSet.CreateItem()
            .AddString(new DicomTag(0x0008, 0x0100), DicomVR.SH, "NESTED")
            .AddString(new DicomTag(0x0008, 0x0102), DicomVR.SH, "99TEST");
        var code = dataSet.CreateItem()
            .AddString(new DicomTag(0x0008, 0x0100), DicomVR.SH, "RPYCHES")
            .AddString(new DicomTag(0x0008, 0x0104), DicomVR.LO, "Chest XR")
            .AddSequence(new DicomTag(0x0040, 0xA195), [modifier], undefinedLength: true);
        dataSet.AddSequence(new DicomTag(0x0008, 0x1032), [code], undefinedLength: false, undefinedItemLength: true);
        var reference = dataSet.CreateItem().AddString(new DicomTag(0x0008, 0x1155), DicomVR.UI, "1.2.3.4");
        dataSet.AddSequence(new DicomTag(0x0008, 0x1140), [reference, dataSet.CreateItem()], undefinedLength: true);

        dataSet.AddPrivateBlock(0x0029, 0x10, "SIEMENS CSA HEADER")
            .AddString(0x08, DicomVR.CS, "IMAGE NUM 4")
            .AddBytes(0x10, DicomVR.OB, "SV10\u0004\u0003\u0002\u0001"u8.ToArray());

        if (SyntheticTransferSyntaxInfo.IsEncapsulated(syntax))
        {
            dataSet.AddEncapsulatedPixelData([new byte[] { 0xFF, 0xD8, 0x01, 0x02, 0xFF, 0xD9 }, new byte[] { 1, 2, 3 }], [0]);
        }
        else
        {
            dataSet.AddUInt16(new DicomTag(0x0028, 0x0100), 16)
                .AddBytes(new DicomTag(0x7FE0, 0x0010), DicomVR.OW, Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
        }

        return dataSet;
    }

    private string WriteSample(SyntheticTransferSyntax syntax)
    {
        var path = Path.Combine(_directory, syntax + ".dcm");
        File.WriteAllBytes(path, DicomFileWriter.ToBytes(Sample(syntax), new DicomWriteOptions { TransferSyntax = syntax }));
        return path;
    }
}
