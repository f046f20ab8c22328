using Nccid.Batch.Dicom;
using Nccid.Batch.Synthetic;

namespace Nccid.Batch.Tests.Synthetic;

public class ReferenceHeadersTests
{
    private static DicomHeader Parse(DicomDataSetBuilder dataSet, SyntheticTransferSyntax syntax)
    {
        var bytes = DicomFileWriter.ToBytes(dataSet, new DicomWriteOptions { TransferSyntax = syntax });
        var header = new DicomHeader();
        var status = DicomParser.Parse(bytes, bytes.Length, header, DicomReadOptions.Default);
        Assert.Equal(DicomParseStatus.Complete, status);
        return header;
    }

    [Fact]
    public void Radiograph_header_has_about_120_elements_with_a_private_block_and_sequences()
    {
        var header = Parse(ReferenceHeaders.ChestRadiograph(7, 0, withPixelData: false), SyntheticTransferSyntax.ExplicitVRLittleEndian);

        Assert.InRange(header.Count, 110, 135);
        Assert.InRange(header.PrivateElementCount, 6, 12);
        Assert.Equal("CR", header.GetString(DicomTags.Modality));
        Assert.Equal("C000007", header.GetString(DicomTags.PatientID));
        Assert.True(header[header.FindTopLevel(DicomTags.ViewCodeSequence)].IsSequence);
    }

    [Fact]
    public void Ct_header_has_about_250_elements_with_csa_blobs()
    {
        var header = Parse(ReferenceHeaders.ChestCtSlice(7, 12, withPixelData: false), SyntheticTransferSyntax.ExplicitVRLittleEndian);

        Assert.InRange(header.Count, 235, 270);
        Assert.InRange(header.PrivateElementCount, 55, 70);
        Assert.InRange(header.HeaderLength, 12_000, 20_000);
        Assert.Equal("13", header.GetString(DicomTags.InstanceNumber));
        Assert.True(header.TryGetDouble(DicomTags.SliceLocation, out var z));
        Assert.Equal(-52.0, z);
    }

    [Theory]
    [InlineData(SyntheticTransferSyntax.ImplicitVRLittleEndian)]
    [InlineData(SyntheticTransferSyntax.ExplicitVRBigEndian)]
    public void Ct_header_reads_the_same_in_every_native_encoding(SyntheticTransferSyntax syntax)
    {
        var reference = Parse(ReferenceHeaders.ChestCtSlice(3, 4, withPixelData: false), SyntheticTransferSyntax.ExplicitVRLittleEndian);
        var other = Parse(ReferenceHeaders.ChestCtSlice(3, 4, withPixelData: false), syntax);

        Assert.Equal(reference.Count, other.Count);
        Assert.Equal(reference.TopLevelCount, other.TopLevelCount);
        Assert.Equal(reference.GetString(DicomTags.SOPInstanceUID), other.GetString(DicomTags.SOPInstanceUID));
        Assert.Equal(reference.GetDoubles(DicomTags.ImagePositionPatient), other.GetDoubles(DicomTags.ImagePositionPatient));
        Assert.True(other.TryGetInt32(DicomTags.Rows, out var rows));
        Assert.Equal(ReferenceHeaders.CtMatrix, rows);
    }

    [Fact]
    public void Pixel_data_is_full_size_and_stops_the_parse()
    {
        var dataSet = ReferenceHeaders.ChestCtSlice(1, 0, withPixelData: true);
        var header = Parse(dataSet, SyntheticTransferSyntax.ExplicitVRLittleEndian);

        Assert.Equal(DicomTags.PixelData, header.PixelData!.Value.Tag);
        Assert.Equal((uint)(ReferenceHeaders.CtMatrix * ReferenceHeaders.CtMatrix * 2), header.PixelData.Value.Length);
    }

    [Fact]
    public void Slices_of_one_series_differ_only_where_a_scanner_varies_them()
    {
        var a = Parse(ReferenceHeaders.ChestCtSlice(5, 0, withPixelData: false), SyntheticTransferSyntax.ExplicitVRLittleEndian);
        var b = Parse(ReferenceHeaders.ChestCtSlice(5, 1, withPixelData: false), SyntheticTransferSyntax.ExplicitVRLittleEndian);

        Assert.Equal(a.GetString(DicomTags.SeriesInstanceUID), b.GetString(DicomTags.SeriesInstanceUID));
        Assert.NotEqual(a.GetString(DicomTags.SOPInstanceUID), b.GetString(DicomTags.SOPInstanceUID));
        Assert.NotEqual(a.GetString(DicomTags.SliceLocation), b.GetString(DicomTags.SliceLocation));
    }
}
