using Nccid.Batch.Audit;
using Nccid.Batch.Audit.Deidentification;
using Nccid.Batch.Dicom;

namespace Nccid.Batch.Tests.Audit.Deidentification;

public sealed class BasicProfileTableTests
{
    private static BasicProfileTable Table => BasicProfileTable.Instance;

    [Fact]
    public void Table_holds_every_row_of_E_1_1_with_unique_tags_and_keywords()
    {
        Assert.Equal(656, Table.Rows.Count);
        Assert.Equal(Table.Rows.Count, Table.Rows.Select(r => (r.Tag, r.Mask)).Distinct().Count());
        Assert.Equal(Table.Rows.Count, Table.ByKeyword.Count);
    }

    [Theory]
    [InlineData(0x00100010u, "PatientName", "Z")]
    [InlineData(0x00100030u, "PatientBirthDate", "Z")]
    [InlineData(0x00080050u, "AccessionNumber", "Z")]
    [InlineData(0x00101000u, "OtherPatientIDs", "X")]
    [InlineData(0x00080081u, "InstitutionAddress", "X")]
    [InlineData(0x00080080u, "InstitutionName", "XZD")]
    [InlineData(0x00080023u, "ContentDate", "ZD")]
    [InlineData(0x0020000Du, "StudyInstanceUID", "U")]
    [InlineData(0x00081140u, "ReferencedImageSequence", "XZU")]
    [InlineData(0x00181000u, "DeviceSerialNumber", "XZD")]
    [InlineData(0x00400275u, "RequestAttributesSequence", "X")]
    public void Rows_carry_the_basic_action_of_the_standard(uint tag, string keyword, string basic)
    {
        Assert.True(Table.TryFind(tag, out var row));
        Assert.Equal((keyword, basic), (row.Keyword, row.Basic.ToString()));
    }

    [Fact]
    public void Keywords_agree_with_the_data_dictionary_where_it_knows_the_tag()
    {
        var disagreements = Table.Rows
            .Where(r => r.Mask == uint.MaxValue && DicomDictionary.GetKeyword(r.Tag) is { } k && k != r.Keyword)
            .Select(r => r.Keyword + " vs " + DicomDictionary.GetKeyword(r.Tag)).ToArray();
        Assert.True(disagreements.Length <= 10, string.Join(", ", disagreements));
    }

    [Fact]
    public void Option_columns_change_the_action_only_when_claimed()
    {
        Assert.True(Table.TryFind(0x00080020, out var studyDate));
        Assert.Equal(ProfileAction.Z, studyDate.Resolve(new DeidentificationOptions()));
        Assert.Equal(ProfileAction.C, studyDate.Resolve(new DeidentificationOptions { RetainModifiedDates = true }));
        Assert.Equal(ProfileAction.K, studyDate.Resolve(new DeidentificationOptions { RetainFullDates = true, RetainModifiedDates = true }));

        Assert.True(Table.TryFind(0x00102110, out var allergies));
        Assert.Equal(ProfileAction.C, allergies.Resolve(new DeidentificationOptions { RetainPatientCharacteristics = true }));
        Assert.Equal(ProfileAction.X, allergies.Resolve(new DeidentificationOptions { RetainDeviceIdentity = true }));
    }

    [Fact]
    public void Repeating_group_rows_match_every_overlay_and_curve_group()
    {
        Assert.True(Table.TryFind(0x60023000, out var overlay));
        Assert.Equal("OverlayData", overlay.Keyword);
        Assert.True(Table.TryFind(0x601E4000, out var comments));
        Assert.Equal("OverlayComments", comments.Keyword);
        Assert.True(Table.TryFind(0x50040010, out var curve));
        Assert.Equal("CurveData", curve.Keyword);
        Assert.False(Table.TryFind(0x60020010, out _));
    }

    [Fact]
    public void Rules_are_generated_one_per_row_with_severity_by_kind_of_attribute()
    {
        var rules = AuditChecks.Catalogue().Where(r => r.Id.StartsWith("D-E1-", StringComparison.Ordinal)).ToDictionary(r => r.Id);
        Assert.Equal(656, rules.Count);
        Assert.Equal(Severity.Critical, rules["D-E1-PatientName"].Severity);
        Assert.Equal(Severity.Critical, rules["D-E1-OtherPatientIDs"].Severity);
        Assert.Equal(Severity.Warning, rules["D-E1-StudyDescription"].Severity);
        Assert.Equal(Severity.Warning, rules["D-E1-PatientSex"].Severity);
        Assert.Equal(Severity.Error, rules["D-E1-AccessionNumber"].Severity);
        Assert.Equal(Severity.Error, rules["D-E1-StudyInstanceUID"].Severity);
        Assert.All(rules.Values, r => Assert.Equal(RuleCategory.Deidentification, r.Category));
        Assert.Contains("PS3.15 Table E.1-1 (0010,0010)", rules["D-E1-PatientName"].Reference, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_reports_the_line_of_a_malformed_row()
    {
        var text = "# c\nTag,Keyword,Basic,a,b,c,d,e,f,g,h,i,j\n00100010,PatientName,Q,,,,,,,,,,\n";
        var error = Assert.Throws<FormatException>(() => BasicProfileTable.Parse(text));
        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
    }
}
