using Nccid.Batch.Dicom;
using Nccid.Batch.Synthetic;
using static Nccid.Batch.Tests.Audit.Quality.QualityFixtures;

namespace Nccid.Batch.Tests.Audit.Quality;

public sealed class PixelModuleCheckTests
{
    [Fact]
    public void Bits_stored_above_bits_allocated_is_reported()
    {
        var ds = Image().AddUInt16(T(DicomTags.BitsStored), 17).AddUInt16(T(DicomTags.HighBit), 16);

        Assert.Equal(["Q-PIXEL-001 (0028,0101)"], Ids(Check(ds)));
    }

    [Theory]
    [InlineData(SyntheticTransferSyntax.ExplicitVRLittleEndian)]
    [InlineData(SyntheticTransferSyntax.ExplicitVRBigEndian)]
    [InlineData(SyntheticTransferSyntax.ImplicitVRLittleEndian)]
    public void A_high_bit_other_than_bits_stored_minus_one_is_reported_in_every_byte_order(SyntheticTransferSyntax syntax)
    {
        var ds = Image().AddUInt16(T(DicomTags.HighBit), 15);

        Assert.Equal(["Q-PIXEL-002 (0028,0102)"], Loud(Check(ds, syntax)).Select(f => f[..23]));
    }

    [Fact]
    public void Zero_columns_is_an_empty_matrix()
    {
        var ds = Image().AddUInt16(T(DicomTags.Columns), 0);

        Assert.Equal(["Q-PIXEL-003 (0028,0011)"], Ids(Check(ds)));
    }

    [Fact]
    public void Native_pixel_data_shorter_than_the_matrix_is_reported_with_both_lengths()
    {
        var ds = Image().AddBytes(T(DicomTags.PixelData), DicomVR.OW, new byte[30]);

        var finding = Assert.Single(Check(ds));

        Assert.Equal("Q-PIXEL-004", finding.Rule.Id);
        Assert.Contains("holds 30 bytes", finding.Detail, StringComparison.Ordinal);
        Assert.Contains("needs 32", finding.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Frames_and_samples_count_and_an_odd_length_may_carry_one_pad_byte()
    {
        var rgb = Image().AddUInt16(T(DicomTags.SamplesPerPixel), 3).AddIntegerString(T(DicomTags.NumberOfFrames), 2)
            .AddString(T(DicomTags.PhotometricInterpretation), DicomVR.CS, "RGB").AddUInt16(T(DicomTags.PlanarConfiguration), 0)
            .AddBytes(T(DicomTags.PixelData), DicomVR.OW, new byte[4 * 4 * 3 * 2 * 2]);
        var odd = Image().AddUInt16(T(DicomTags.Rows), 3).AddUInt16(T(DicomTags.Columns), 3).AddUInt16(T(DicomTags.BitsAllocated), 8)
            .AddUInt16(T(DicomTags.BitsStored), 8).AddUInt16(T(DicomTags.HighBit), 7).AddBytes(T(DicomTags.PixelData), DicomVR.OB, new byte[10]);

        Assert.Empty(Check(rgb));
        Assert.Empty(Check(odd));
    }

    [Fact]
    public void Encapsulated_pixel_data_is_not_measured_against_the_matrix()
    {
        var ds = Image();
        ds.Remove(T(DicomTags.PixelData));
        ds.AddEncapsulatedPixelData([new byte[6]], [0]);

        Assert.Empty(Check(ds, SyntheticTransferSyntax.Jpeg2000));
    }
}
