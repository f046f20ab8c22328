using Nccid.Batch.Dicom;
using static Nccid.Batch.Tests.Audit.Quality.QualityFixtures;

namespace Nccid.Batch.Tests.Audit.Quality;

public sealed class ModuleAttributeCheckTests
{
    [Fact]
    public void A_missing_type_1_attribute_is_an_error_at_its_tag()
    {
        var ds = Image();
        ds.Remove(T(DicomTags.SeriesInstanceUID));

        var findings = Check(ds);

        var finding = Assert.Single(findings);
        Assert.Equal("Q-ATTR-001", finding.Rule.Id);
        Assert.Equal("(0020,000E)", finding.TagPath);
        Assert.Contains("SeriesInstanceUID", finding.Detail, StringComparison.Ordinal);
        Assert.Contains("General Series", finding.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_type_1_attribute_is_an_error_and_an_empty_type_2_one_is_fine()
    {
        var ds = Image().AddString(T(DicomTags.Modality), DicomVR.CS, string.Empty).AddString(T(DicomTags.StudyDate), DicomVR.DA, string.Empty);

        Assert.Equal(["Q-ATTR-001 (0008,0060)"], Ids(Check(ds)));
    }

    [Fact]
    public void A_missing_type_2_attribute_is_a_warning()
    {
        var ds = Image();
        ds.Remove(T(DicomTags.StudyDate));

        var finding = Assert.Single(Check(ds));

        Assert.Equal("Q-ATTR-002 (0008,0020)", finding.Rule.Id + " " + finding.TagPath);
        Assert.Equal(Nccid.Batch.Audit.Severity.Warning, finding.Severity);
    }

    [Fact]
    public void The_modality_module_is_chosen_by_sop_class()
    {
        var mr = Image(MrClass);
        mr.Remove(T(DicomTags.SequenceVariant));
        var ct = Image(CtClass);
        ct.Remove(T(DicomTags.AcquisitionNumber));

        Assert.Equal(["Q-ATTR-001 (0018,0021)"], Ids(Check(mr)));
        Assert.Equal(["Q-ATTR-002 (0020,0012)"], Ids(Check(ct)));
    }

    [Fact]
    public void Modality_decides_the_module_when_the_sop_class_is_not_an_image_class_this_audit_knows()
    {
        var ds = Image(MrClass).AddString(T(DicomTags.SOPClassUID), DicomVR.UI, "1.2.840.10008.5.1.4.1.1.7");
        ds.Remove(T(DicomTags.ScanningSequence));

        Assert.Equal(["Q-ATTR-001 (0018,0020)"], Ids(Check(ds)));
    }

    [Fact]
    public void A_dx_image_without_rescale_type_is_reported_and_a_cr_image_is_not_asked_for_it()
    {
        var dx = Image(DxClass);
        dx.Remove(T(DicomTags.RescaleType));

        Assert.Equal(["Q-ATTR-001 (0028,1054)"], Ids(Check(dx)));
        Assert.Empty(Check(Image(CrClass)));
    }

    [Fact]
    public void A_cr_image_with_modality_dx_is_a_modality_mismatch()
    {
        var ds = Image(CrClass).AddString(T(DicomTags.Modality), DicomVR.CS, "DX");

        var finding = Assert.Single(Check(ds));

        Assert.Equal("Q-ATTR-003 (0008,0060)", finding.Rule.Id + " " + finding.TagPath);
        Assert.Contains("requires CR", finding.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_ct_image_without_pixel_spacing_is_an_error()
    {
        var ct = Image(CtClass);
        ct.Remove(T(DicomTags.PixelSpacing));
        var mr = Image(MrClass);
        mr.Remove(T(DicomTags.PixelSpacing));

        Assert.Equal(["Q-ATTR-004 (0028,0030)"], Ids(Check(ct)));
        Assert.Empty(Check(mr));
    }
}
