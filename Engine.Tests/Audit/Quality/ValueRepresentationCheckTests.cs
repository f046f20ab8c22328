using Nccid.Batch.Dicom;
using Nccid.Batch.Synthetic;
using static Nccid.Batch.Tests.Audit.Quality.QualityFixtures;

namespace Nccid.Batch.Tests.Audit.Quality;

public sealed class ValueRepresentationCheckTests
{
    public static TheoryData<uint, string, string, string> BadValues() => new()
    {
        { DicomTags.StudyDate, "DA", "2020-13-45", "Q-VR-001" },
        { DicomTags.StudyDate, "DA", "20200230", "Q-VR-001" },
        { DicomTags.StudyDate, "DA", "2020.04.01", "Q-VR-001" },
        { DicomTags.StudyTime, "TM", "25", "Q-VR-002" },
        { DicomTags.StudyTime, "TM", "10:15:00", "Q-VR-002" },
        { DicomTags.StudyTime, "TM", "101500.1234567", "Q-VR-002" },
        { DicomTags.AcquisitionDateTime, "DT", "2020131", "Q-VR-003" },
        { DicomTags.AcquisitionDateTime, "DT", "20200401101500+25", "Q-VR-003" },
        { DicomTags.PatientAge, "AS", "54 years", "Q-VR-004" },
        { DicomTags.PatientAge, "AS", "54Y", "Q-VR-004" },
        { DicomTags.SeriesInstanceUID, "UI", "2.25.123.abc", "Q-VR-005" },
        { DicomTags.SeriesInstanceUID, "UI", "1.2.03", "Q-VR-005" },
        { DicomTags.SeriesInstanceUID, "UI", "1..2", "Q-VR-005" },
        { DicomTags.SeriesInstanceUID, "UI", "1." + new string('1', 63), "Q-VR-005" },
        { DicomTags.PixelSpacing, "DS", "abc\\abc", "Q-VR-006" },
        { DicomTags.SliceThickness, "DS", "1.00000000000000001", "Q-VR-006" },
        { DicomTags.SeriesNumber, "IS", "12.5", "Q-VR-007" },
        { DicomTags.SeriesNumber, "IS", "99999999999", "Q-VR-007" },
        { DicomTags.BodyPartExamined, "CS", "chest", "Q-VR-008" },
        { DicomTags.BodyPartExamined, "CS", "CHEST-ABDOMEN", "Q-VR-008" },
        { DicomTags.BodyPartExamined, "CS", "ABDOMENPELVISLEGS", "Q-VR-008" },
        { DicomTags.PerformingPhysicianName, "PN", "A=B=C=D", "Q-VR-009" },
        { DicomTags.PerformingPhysicianName, "PN", "A^B^C^D^E^F", "Q-VR-009" },
        { DicomTags.StudyDescription, "LO", "X" + new string('y', 64), "Q-VR-010" },
        { DicomTags.StationName, "SH", "STATION-NAME-TOO-LONG", "Q-VR-010" },
        { DicomTags.StudyDescription, "LO", "CT\u0007CHEST", "Q-VR-011" },
        { DicomTags.ImagePositionPatient, "DS", "1\\2", "Q-VR-012" },
        { DicomTags.StudyDate, "DA", "20300101", "Q-DATE-001" },
        { DicomTags.StudyDate, "DA", "18991231", "Q-DATE-002" },
        { DicomTags.AcquisitionDateTime, "DT", "2031", "Q-DATE-001" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void A_value_that_breaks_its_vr_is_reported_once_at_its_tag(uint tag, string vr, string value, string ruleId)
    {
        var ds = Image().AddString(T(tag), Vr(vr), value);

        var findings = Check(ds);

        var finding = Assert.Single(findings, f => f.Rule.Id == ruleId);
        Assert.Equal(DicomParser.Describe(tag), finding.TagPath);
        Assert.DoesNotContain(value, finding.Detail, StringComparison.Ordinal);
    }

    public static TheoryData<uint, string, string> GoodValues() => new()
    {
        { DicomTags.StudyDate, "DA", "19000101" },
        { DicomTags.StudyTime, "TM", "23" },
        { DicomTags.StudyTime, "TM", "235960.123456" },
        { DicomTags.AcquisitionDateTime, "DT", "20200401101500.5+0100" },
        { DicomTags.PatientAge, "AS", "003W" },
        { DicomTags.SeriesInstanceUID, "UI", "1.2.0.3" },
        { DicomTags.PixelSpacing, "DS", " 1.5e-1\\-2 " },
        { DicomTags.SeriesNumber, "IS", "+2147483647" },
        { DicomTags.PerformingPhysicianName, "PN", "Doe^Jane^^Dr^=ドウ^ジェーン=どう^じぇーん" },
        { DicomTags.ImageComments, "LT", "line one\r\nline two\tend" },
        { DicomTags.StudyDescription, "LO", "Zoë Brontë " + "ëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëë" },
    };

    [Theory]
    [MemberData(nameof(GoodValues))]
    public void A_value_within_its_vr_is_not_reported(uint tag, string vr, string value)
    {
        var ds = Image(utf8: true).AddString(T(tag), Vr(vr), value);

        Assert.Empty(Check(ds));
    }

    public static TheoryData<SyntheticTransferSyntax> NativeSyntaxes() => new(
        SyntheticTransferSyntax.ExplicitVRLittleEndian, SyntheticTransferSyntax.ImplicitVRLittleEndian,
        SyntheticTransferSyntax.ExplicitVRBigEndian, SyntheticTransferSyntax.DeflatedExplicitVRLittleEndian);

    [Theory]
    [MemberData(nameof(NativeSyntaxes))]
    public void A_bad_value_two_sequences_deep_is_reported_at_its_full_path_in_every_encoding(SyntheticTransferSyntax syntax)
    {
        var inner0 = new DicomDataSetBuilder().AddString(T(DicomTags.CodeValue), DicomVR.SH, "A");
        var inner1 = new DicomDataSetBuilder().AddString(T(DicomTags.CodeValue), DicomVR.SH, "B").AddString(T(DicomTags.ContentDate), DicomVR.DA, "2020-01-01");
        var outer = new DicomDataSetBuilder().AddString(T(DicomTags.CodeValue), DicomVR.SH, "C")
            .AddSequence(T(DicomTags.ModifierCodeSequence), [inner0, inner1], undefinedLength: true, undefinedItemLength: true);
        var ds = Image().AddSequence(T(DicomTags.ProcedureCodeSequence), [new DicomDataSetBuilder(), outer]);

        var findings = Loud(Check(ds, syntax));

        Assert.Equal(["Q-VR-001 (0008,1032)[1].(0040,A195)[1].(0008,0023) ContentDate: DA value is not YYYYMMDD."], findings);
    }

    [Theory]
    [MemberData(nameof(NativeSyntaxes))]
    public void Binary_values_are_counted_against_the_dictionary_multiplicity_in_every_byte_order(SyntheticTransferSyntax syntax)
    {
        var ds = Image().AddUInt16(T(DicomTags.Rows), 4, 4);

        var findings = Loud(Check(ds, syntax));

        Assert.Equal(["Q-VR-012 (0028,0010) Rows: 2 values where the dictionary's VM is 1."], findings);
    }

    [Fact]
    public void A_binary_value_of_the_wrong_length_is_reported()
    {
        var ds = Image().AddBytes(T(DicomTags.RecommendedDisplayFrameRateInFloat), DicomVR.FL, new byte[6]);

        Assert.Equal(["Q-VR-013 (0008,9459)"], Ids(Check(ds)));
    }

    [Fact]
    public void Private_elements_are_checked_for_syntax_and_the_detail_says_private()
    {
        var ds = Image();
        ds.AddPrivateBlock(0x0009, 0x10, "ACME 1.0").AddString(0x01, DicomVR.DA, "20201");

        var finding = Assert.Single(Check(ds));

        Assert.Equal("Q-VR-001 (0009,1001)", finding.Rule.Id + " " + finding.TagPath);
        Assert.StartsWith("private attribute", finding.Detail, StringComparison.Ordinal);
    }

    private static DicomVR Vr(string code) => DicomVRInfo.FromBytes((byte)code[0], (byte)code[1]);
}
