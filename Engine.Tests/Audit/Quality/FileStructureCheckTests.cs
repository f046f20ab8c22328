using System.Text;
using Nccid.Batch.Audit.Quality;
using Nccid.Batch.Dicom;
using Nccid.Batch.Synthetic;
using static Nccid.Batch.Tests.Audit.Quality.QualityFixtures;

namespace Nccid.Batch.Tests.Audit.Quality;

public sealed class FileStructureCheckTests
{
    public static TheoryData<SyntheticTransferSyntax> Syntaxes() => new(Enum.GetValues<SyntheticTransferSyntax>());

    [Theory]
    [MemberData(nameof(Syntaxes))]
    public void A_conformant_image_has_no_warning_in_any_transfer_syntax(SyntheticTransferSyntax syntax)
    {
        foreach (var sopClass in new[] { CrClass, DxClass, CtClass, MrClass })
        {
            var ds = Image(sopClass);
            if (syntax is SyntheticTransferSyntax.JpegBaseline or SyntheticTransferSyntax.Jpeg2000)
            {
                ds.Remove(T(DicomTags.PixelData));
                ds.AddEncapsulatedPixelData([new byte[] { 0xFF, 0xD8, 0xFF, 0xD9 }], [0]);
            }

            Assert.Empty(Loud(Check(ds, syntax)));
        }
    }

    [Fact]
    public void Big_endian_is_reported_as_a_retired_transfer_syntax_for_information()
    {
        var findings = Check(Image(), SyntheticTransferSyntax.ExplicitVRBigEndian);

        var retired = Assert.Single(findings, f => f.Rule == QualityRules.RetiredTransferSyntax);
        Assert.Equal(Nccid.Batch.Audit.Severity.Info, retired.Severity);
        Assert.Equal("(0002,0010)", retired.TagPath);
    }

    [Fact]
    public void A_text_file_is_not_dicom()
    {
        var findings = QualityHarness.CheckBytes(Encoding.ASCII.GetBytes("RADIOLOGY REPORT\r\nFindings: none.\r\n"));

        Assert.Equal(["Q-FILE-001 "], Ids(findings));
    }

    [Theory]
    [InlineData(SyntheticTransferSyntax.ExplicitVRLittleEndian)]
    [InlineData(SyntheticTransferSyntax.ImplicitVRLittleEndian)]
    [InlineData(SyntheticTransferSyntax.ExplicitVRBigEndian)]
    public void A_file_cut_inside_native_pixel_data_is_truncated(SyntheticTransferSyntax syntax)
    {
        var bytes = Bytes(Image(), syntax);

        var findings = QualityHarness.CheckBytes(bytes[..^5]);

        Assert.Equal(["Q-FILE-002 "], Ids(findings));
    }

    [Fact]
    public void A_file_cut_inside_a_header_value_is_truncated_not_malformed()
    {
        var bytes = Bytes(Image());
        var at = IndexOf(bytes, "ACME"u8);

        var findings = QualityHarness.CheckBytes(bytes[..(at + 2)]);

        Assert.Equal(["Q-FILE-002 "], Ids(findings));
    }

    [Fact]
    public void A_file_cut_between_header_elements_is_truncated_for_want_of_pixel_data()
    {
        var bytes = Bytes(Image());
        var at = IndexOf(bytes, "ACME"u8) + 4;

        var findings = QualityHarness.CheckBytes(bytes[..at]);

        Assert.Contains("Q-FILE-002 (7FE0,0010)", Ids(findings));
    }

    [Fact]
    public void A_file_cut_inside_an_encapsulated_fragment_is_truncated()
    {
        var ds = Image();
        ds.Remove(T(DicomTags.PixelData));
        ds.AddEncapsulatedPixelData([new byte[400]], [0]);
        var bytes = Bytes(ds, SyntheticTransferSyntax.Jpeg2000);

        Assert.DoesNotContain(QualityHarness.CheckBytes(bytes), f => f.Rule == QualityRules.Truncated);
        Assert.Contains(QualityHarness.CheckBytes(bytes[..^100]), f => f.Rule == QualityRules.Truncated);
        Assert.Contains(QualityHarness.CheckBytes(bytes[..^8]), f => f.Rule == QualityRules.Truncated);
    }

    [Fact]
    public void A_file_without_preamble_and_file_meta_is_reported_twice()
    {
        var bytes = DicomFileWriter.ToBytes(Image(), new DicomWriteOptions { IncludePreamble = false, IncludeFileMeta = false });

        var findings = QualityHarness.CheckBytes(bytes);

        Assert.Equal(["Q-FILE-007 ", "Q-FILE-008 "], Ids(findings));
    }

    [Fact]
    public void File_meta_uids_that_differ_from_the_data_set_are_reported()
    {
        var bytes = DicomFileWriter.ToBytes(Image(), new DicomWriteOptions { MediaStorageSopInstanceUid = "2.25.999", MediaStorageSopClassUid = CrClass });

        var findings = QualityHarness.CheckBytes(bytes);

        Assert.Equal(["Q-FILE-010 (0002,0003)", "Q-FILE-011 (0002,0002)"], Ids(findings));
        Assert.Contains("2.25.999", findings[0].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unregistered_transfer_syntax_uid_is_unknown()
    {
        var bytes = Bytes(Image());
        var at = IndexOf(bytes, "1.2.840.10008.1.2.1\0"u8);
        "1.2.840.99999.1.2.1"u8.CopyTo(bytes.AsSpan(at));

        var findings = QualityHarness.CheckBytes(bytes);

        Assert.Equal(["Q-FILE-012 (0002,0010)"], Ids(findings));
    }

    [Fact]
    public void A_data_set_in_implicit_vr_declared_explicit_is_a_transfer_syntax_mismatch()
    {
        var implicitFile = Bytes(Image(), SyntheticTransferSyntax.ImplicitVRLittleEndian);
        var at = IndexOf(implicitFile, "1.2.840.10008.1.2\0"u8);
        var patched = new List<byte>(implicitFile);
        // Declare Explicit VR Little Endian (two bytes longer) and fix the value and group lengths.
        patched.RemoveRange(at, 18);
        patched.InsertRange(at, "1.2.840.10008.1.2.1\0"u8.ToArray());
        var bytes = patched.ToArray();
        bytes[at - 2] += 2;
        var groupLength = BitConverter.ToUInt32(bytes, 140);
        BitConverter.GetBytes(groupLength + 2).CopyTo(bytes, 140);

        var findings = QualityHarness.CheckBytes(bytes);

        Assert.Equal(["Q-FILE-013 (0002,0010)"], Ids(findings));
    }

    [Theory]
    [InlineData(DicomErrorKind.NotDicom, "Q-FILE-001")]
    [InlineData(DicomErrorKind.Truncated, "Q-FILE-002")]
    [InlineData(DicomErrorKind.InvalidStructure, "Q-FILE-003")]
    [InlineData(DicomErrorKind.InvalidFileMeta, "Q-FILE-003")]
    [InlineData(DicomErrorKind.InvalidDeflate, "Q-FILE-003")]
    [InlineData(DicomErrorKind.InvalidLength, "Q-FILE-003")]
    [InlineData(DicomErrorKind.DepthLimitExceeded, "Q-FILE-004")]
    [InlineData(DicomErrorKind.ElementLimitExceeded, "Q-FILE-004")]
    [InlineData(DicomErrorKind.HeaderTooLarge, "Q-FILE-004")]
    [InlineData(DicomErrorKind.Unreadable, "Q-FILE-005")]
    [InlineData(DicomErrorKind.Internal, "Q-FILE-006")]
    public void Each_read_error_kind_maps_to_one_file_rule(DicomErrorKind kind, string ruleId)
    {
        using var header = new DicomHeader();

        Assert.Equal(ruleId, FileStructureCheck.RuleFor(new DicomReadError(kind, -1, "x"), header).Id);
    }

    private static int IndexOf(byte[] bytes, ReadOnlySpan<byte> needle)
    {
        var at = bytes.AsSpan().IndexOf(needle);
        Assert.True(at > 0);
        return at;
    }
}
