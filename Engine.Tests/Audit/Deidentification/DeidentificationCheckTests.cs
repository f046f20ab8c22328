using Nccid.Batch.Audit;
using Nccid.Batch.Dicom;
using Nccid.Batch.Synthetic;
using static Nccid.Batch.Tests.Audit.Deidentification.DeidentificationHarness;

namespace Nccid.Batch.Tests.Audit.Deidentification;

public sealed class DeidentificationCheckTests
{
    private static readonly DicomTag StudyDate = new(0x0008, 0x0020);
    private static readonly DicomTag AccessionNumber = new(0x0008, 0x0050);
    private static readonly DicomTag InstitutionName = new(0x0008, 0x0080);
    private static readonly DicomTag InstitutionAddress = new(0x0008, 0x0081);
    private static readonly DicomTag ReferringPhysicianName = new(0x0008, 0x0090);
    private static readonly DicomTag StudyDescription = new(0x0008, 0x1030);
    private static readonly DicomTag PatientName = new(0x0010, 0x0010);
    private static readonly DicomTag PatientId = new(0x0010, 0x0020);
    private static readonly DicomTag PatientBirthDate = new(0x0010, 0x0030);
    private static readonly DicomTag PatientSex = new(0x0010, 0x0040);
    private static readonly DicomTag OtherPatientIds = new(0x0010, 0x1000);
    private static readonly DicomTag PatientAge = new(0x0010, 0x1010);
    private static readonly DicomTag DeviceSerialNumber = new(0x0018, 0x1000);
    private static readonly DicomTag ImageComments = new(0x0020, 0x4000);
    private static readonly DicomTag RequestAttributesSequence = new(0x0040, 0x0275);
    private static readonly DicomTag RequestedProcedureDescription = new(0x0032, 0x1060);

    public static TheoryData<SyntheticTransferSyntax> Syntaxes() => new(
        SyntheticTransferSyntax.ExplicitVRLittleEndian, SyntheticTransferSyntax.ImplicitVRLittleEndian,
        SyntheticTransferSyntax.ExplicitVRBigEndian, SyntheticTransferSyntax.DeflatedExplicitVRLittleEndian);

    [Theory]
    [MemberData(nameof(Syntaxes))]
    public void Clean_file_has_no_findings_in_any_transfer_syntax(SyntheticTransferSyntax syntax)
    {
        Assert.Empty(Run(Clean(), AuditProfile.Basic, syntax));
    }

    [Theory]
    [MemberData(nameof(Syntaxes))]
    public void X_attribute_with_a_value_is_reported_with_its_length_not_its_value(SyntheticTransferSyntax syntax)
    {
        var findings = Run(Clean().AddString(OtherPatientIds, DicomVR.LO, "RX1234567"), AuditProfile.Basic, syntax);

        var finding = Assert.Single(findings);
        Assert.Equal(("D-E1-OtherPatientIDs", Severity.Critical, "(0010,1000)", "value present (9 chars)"),
            (finding.Rule.Id, finding.Severity, finding.TagPath, finding.Detail));
    }

    [Fact]
    public void X_attribute_present_but_empty_is_not_reported()
    {
        Assert.Empty(Run(Clean().AddString(OtherPatientIds, DicomVR.LO, string.Empty), AuditProfile.Basic));
    }

    [Fact]
    public void Z_attribute_must_be_empty_or_a_dummy()
    {
        Assert.Empty(Run(Clean().AddString(AccessionNumber, DicomVR.SH, string.Empty), AuditProfile.Basic));
        Assert.Empty(Run(Clean().AddString(AccessionNumber, DicomVR.SH, "REMOVED"), AuditProfile.Basic));
        var finding = Assert.Single(Run(Clean().AddString(AccessionNumber, DicomVR.SH, "A7654321"), AuditProfile.Basic));
        Assert.Equal(("D-E1-AccessionNumber", "value present (8 chars)"), (finding.Rule.Id, finding.Detail));
    }

    [Fact]
    public void Patient_name_and_id_may_hold_the_folder_pseudonym_but_nothing_else()
    {
        Assert.Empty(Run(Clean(), AuditProfile.Basic, folderPseudonym: Pseudonym));

        var findings = Run(Clean().AddString(PatientId, DicomVR.LO, "RX99887766"), AuditProfile.Basic, folderPseudonym: Pseudonym);
        Assert.Equal(["D-E1-PatientID"], Ids(findings));

        // Without a folder pseudonym the name may repeat the instance's Patient ID.
        Assert.Empty(Run(Clean(), AuditProfile.Basic, folderPseudonym: null));
    }

    [Fact]
    public void Real_looking_name_in_patient_name_is_reported_by_the_table_and_the_name_rule()
    {
        var findings = Run(Clean().AddString(PatientName, DicomVR.PN, "SMITH^Oliver"), AuditProfile.Basic);

        Assert.Equal(["D-E1-PatientName", "D-TEXT-PersonName"], Ids(findings));
        Assert.All(findings, f => Assert.Equal("(0010,0010)", f.TagPath));
        Assert.Contains(findings, f => f.Detail == "person name (12 chars)");
    }

    [Fact]
    public void D_and_combined_actions_accept_a_dummy_and_reject_a_real_value()
    {
        Assert.Empty(Run(Clean().AddString(InstitutionName, DicomVR.LO, "ANONYMIZED"), AuditProfile.Basic));
        Assert.Equal(["D-E1-InstitutionName"], Ids(Run(Clean().AddString(InstitutionName, DicomVR.LO, "Dunmere Royal Infirmary"), AuditProfile.Basic)));
    }

    [Fact]
    public void Uid_under_a_denied_root_is_reported_and_others_are_not()
    {
        var profile = With(new DeidentificationOptions { DeniedUidRoots = ["1.2.826.0.1.999"] });
        var ds = Clean().AddString(new DicomTag(0x0020, 0x000E), DicomVR.UI, "1.2.826.0.1.999.5.6")
            .AddString(new DicomTag(0x0020, 0x000D), DicomVR.UI, "1.2.826.0.1.9999.5");

        var finding = Assert.Single(Run(ds, profile));
        Assert.Equal(("D-E1-SeriesInstanceUID", "(0020,000E)", "UID (value 1) under a denied root"), (finding.Rule.Id, finding.TagPath, finding.Detail));
    }

    [Theory]
    [MemberData(nameof(Syntaxes))]
    public void Attributes_inside_nested_sequences_are_checked_with_their_path(SyntheticTransferSyntax syntax)
    {
        var ds = Clean();
        var inner = ds.CreateItem().AddString(new DicomTag(0x0008, 0x0100), DicomVR.SH, "X1");
        var second = ds.CreateItem()
            .AddString(RequestedProcedureDescription, DicomVR.LO, "CXR for Zoe, DOB 12/03/1961")
            .AddSequence(new DicomTag(0x0040, 0x0008), [inner.AddString(ReferringPhysicianName, DicomVR.PN, "JONES^Amelia^^Dr")]);
        ds.AddSequence(RequestAttributesSequence, [ds.CreateItem(), second], undefinedLength: true);

        var findings = Run(ds, AuditProfile.Basic, syntax);

        Assert.Contains(findings, f => f.Rule.Id == "D-E1-RequestAttributesSequence" && f.TagPath == "(0040,0275)" && f.Detail == "sequence present (2 items)");
        Assert.Contains(findings, f => f.Rule.Id == "D-E1-RequestedProcedureDescription" && f.TagPath == "(0040,0275)[1].(0032,1060)");
        Assert.Contains(findings, f => f.Rule.Id == "D-TEXT-DateOfBirth" && f.TagPath == "(0040,0275)[1].(0032,1060)" && f.Detail == "date of birth at chars 18–27");
        Assert.Contains(findings, f => f.Rule.Id == "D-E1-ReferringPhysicianName" && f.TagPath == "(0040,0275)[1].(0040,0008)[0].(0008,0090)");
        Assert.Contains(findings, f => f.Rule.Id == "D-TEXT-PersonName" && f.TagPath == "(0040,0275)[1].(0040,0008)[0].(0008,0090)");
    }

    [Fact]
    public void Each_option_keeps_the_attributes_of_its_column()
    {
        var ds = Clean()
            .AddString(StudyDate, DicomVR.DA, "20200402")
            .AddString(InstitutionAddress, DicomVR.ST, "Ward 4")
            .AddString(StudyDescription, DicomVR.LO, "CT THORAX")
            .AddString(PatientSex, DicomVR.CS, "F")
            .AddString(PatientAge, DicomVR.AS, "061Y")
            .AddString(DeviceSerialNumber, DicomVR.LO, "SN-4411");
        string[] all = ["D-E1-DeviceSerialNumber", "D-E1-InstitutionAddress", "D-E1-PatientAge", "D-E1-PatientSex", "D-E1-StudyDate", "D-E1-StudyDescription"];
        Assert.Equal(all, Ids(Run(ds, AuditProfile.Basic)));

        Assert.Equal(all.Except(["D-E1-StudyDate"]), Ids(Run(ds, With(new DeidentificationOptions { RetainFullDates = true }))));
        Assert.Equal(all.Except(["D-E1-StudyDate"]), Ids(Run(ds, With(new DeidentificationOptions { RetainModifiedDates = true }))));
        Assert.Equal(all.Except(["D-E1-InstitutionAddress"]), Ids(Run(ds, With(new DeidentificationOptions { RetainInstitutionIdentity = true }))));
        Assert.Equal(all.Except(["D-E1-StudyDescription"]), Ids(Run(ds, With(new DeidentificationOptions { CleanDescriptors = true }))));
        Assert.Equal(all.Except(["D-E1-PatientAge", "D-E1-PatientSex"]), Ids(Run(ds, With(new DeidentificationOptions { RetainPatientCharacteristics = true }))));
        Assert.Equal(all.Except(["D-E1-DeviceSerialNumber"]), Ids(Run(ds, With(new DeidentificationOptions { RetainDeviceIdentity = true }))));
        Assert.Equal(all.Except(["D-E1-PatientAge"]), Ids(Run(ds, With(new DeidentificationOptions { KeepAttributes = ["PatientAge"] }))));
    }

    [Fact]
    public void Cleaned_descriptions_are_still_searched_for_identifiers()
    {
        var profile = With(new DeidentificationOptions { CleanDescriptors = true });
        var findings = Run(Clean().AddString(StudyDescription, DicomVR.LO, "CT THORAX NHS 943 476 5919"), profile);

        var finding = Assert.Single(findings);
        Assert.Equal(("D-TEXT-NhsNumber", Severity.Critical, "(0008,1030)", "NHS number at chars 15–26"),
            (finding.Rule.Id, finding.Severity, finding.TagPath, finding.Detail));
    }

    [Fact]
    public void Nccid_profile_keeps_study_date_and_accepts_only_first_of_january_birth_dates()
    {
        var ds = Clean().AddString(StudyDate, DicomVR.DA, "20200402").AddString(new DicomTag(0x0008, 0x0030), DicomVR.TM, "101500");

        Assert.Empty(Run(ds.AddString(PatientBirthDate, DicomVR.DA, "19610101"), AuditProfile.Nccid));
        var finding = Assert.Single(Run(ds.AddString(PatientBirthDate, DicomVR.DA, "19610312"), AuditProfile.Nccid));
        Assert.Equal(("D-E1-PatientBirthDate", Severity.Critical, "birth date not 1 January of its year (8 chars)"),
            (finding.Rule.Id, finding.Severity, finding.Detail));

        // The Basic Profile removes both.
        Assert.Equal(["D-E1-PatientBirthDate", "D-E1-StudyDate", "D-E1-StudyTime"], Ids(Run(ds.AddString(PatientBirthDate, DicomVR.DA, "19610101"), AuditProfile.Basic)));
    }

    [Fact]
    public void Private_elements_are_reported_unless_their_creator_is_safe_under_retain_safe_private()
    {
        var ds = Clean();
        ds.AddPrivateBlock(0x0009, 0x10, "GEMS_IDEN_01").AddString(0x01, DicomVR.LO, "GE_GENESIS_DD");
        ds.AddPrivateBlock(0x0029, 0x11, "ACME NOTES").AddString(0x60, DicomVR.LO, "seen");

        var basic = Run(ds, AuditProfile.Basic);
        Assert.Equal(["D-PRIVATE-Present", "D-PRIVATE-Present"], Ids(basic));
        Assert.Equal(["(0009,1001)", "(0029,1160)"], basic.Select(f => f.TagPath).Order(StringComparer.Ordinal));

        var safe = With(new DeidentificationOptions { RetainSafePrivate = true, SafePrivateCreators = ["GEMS_IDEN_01"] });
        var finding = Assert.Single(Run(ds, safe));
        Assert.Equal(("D-PRIVATE-Unsafe", "(0029,1160)", "private element of a creator not listed as safe (4 bytes)"), (finding.Rule.Id, finding.TagPath, finding.Detail));
    }

    [Theory]
    [InlineData(SyntheticTransferSyntax.ExplicitVRLittleEndian)]
    [InlineData(SyntheticTransferSyntax.ImplicitVRLittleEndian)]
    public void Printable_private_values_of_unknown_vr_are_searched_for_identifiers(SyntheticTransferSyntax syntax)
    {
        var ds = Clean();
        ds.AddPrivateBlock(0x0009, 0x10, "ACME").AddBytes(0x30, DicomVR.UN, "Pt DOB 12/03/1961 "u8.ToArray());

        var findings = Run(ds, With(new DeidentificationOptions { RetainSafePrivate = true, SafePrivateCreators = ["ACME"] }), syntax);

        var finding = Assert.Single(findings);
        Assert.Equal(("D-TEXT-DateOfBirth", "(0009,1030)", "date of birth at chars 8–17"), (finding.Rule.Id, finding.TagPath, finding.Detail));
    }

    [Fact]
    public void Private_element_without_a_creator_is_unsafe()
    {
        var ds = Clean().AddString(new DicomTag(0x0011, 0x1010), DicomVR.LO, "x");
        Assert.Equal(["D-PRIVATE-Unsafe"], Ids(Run(ds, AuditProfile.Basic)));
    }

    [Fact]
    public void Missing_or_wrong_markers_are_reported()
    {
        var ds = Clean();
        ds.Remove(new DicomTag(0x0012, 0x0063));
        ds.AddString(new DicomTag(0x0012, 0x0062), DicomVR.CS, "NO");

        var findings = Run(ds, AuditProfile.Basic);

        Assert.Equal(["D-META-DeidentificationMethod", "D-META-PatientIdentityRemoved"], Ids(findings));
        Assert.Contains(findings, f => f.Rule.Id == "D-META-PatientIdentityRemoved" && f.Detail == "not YES");
        ds.Remove(new DicomTag(0x0012, 0x0062));
        Assert.Contains(Run(ds, AuditProfile.Basic), f => f.Rule.Id == "D-META-PatientIdentityRemoved" && f.Detail == "absent");
    }

    [Fact]
    public void Burned_in_annotation_yes_is_critical_and_absence_on_radiographs_a_warning()
    {
        var yes = Clean("DX").AddString(new DicomTag(0x0028, 0x0301), DicomVR.CS, "YES");
        var finding = Assert.Single(Run(yes, AuditProfile.Basic));
        Assert.Equal(("D-PIXEL-BurnedInAnnotation", Severity.Critical), (finding.Rule.Id, finding.Severity));

        var absent = Clean("CR");
        absent.Remove(new DicomTag(0x0028, 0x0301));
        finding = Assert.Single(Run(absent, AuditProfile.Basic));
        Assert.Equal(("D-PIXEL-BurnedInAnnotationUnknown", Severity.Warning), (finding.Rule.Id, finding.Severity));
        Assert.Empty(Run(Clean("CT"), AuditProfile.Basic));
    }

    [Theory]
    [InlineData("AX T2 5MM")]
    [InlineData("LUNG B70 1MM")]
    [InlineData("FC13 1MM")]
    [InlineData("Acquired 03-04-2020 14:22")]
    [InlineData("Study 010120 1430")]
    public void Series_descriptions_and_acquisition_times_are_not_taken_for_identifiers(string text)
    {
        // Slice thicknesses after a sequence or kernel name, and dates with times, once read as postcodes and telephone numbers.
        var profile = With(new DeidentificationOptions { CleanDescriptors = true });
        var seriesDescription = new DicomTag(0x0008, 0x103E);

        Assert.Empty(Run(Clean().AddString(seriesDescription, DicomVR.LO, text), profile));
        Assert.Empty(Run(Clean().AddString(ImageComments, DicomVR.LT, text), profile));
    }

    [Fact]
    public void A_cued_hospital_number_is_found_without_a_pattern_and_once_with_one()
    {
        var text = "Hosp no RX123456";
        var plain = Assert.Single(Run(Clean().AddString(ImageComments, DicomVR.LT, text), With(new DeidentificationOptions { CleanDescriptors = true })));
        Assert.Equal(("D-TEXT-HospitalNumber", "hospital number at chars 9–16"), (plain.Rule.Id, plain.Detail));

        var patterned = With(new DeidentificationOptions { CleanDescriptors = true, HospitalNumberPattern = "RX[0-9]{6}" });
        Assert.Equal(plain.Detail, Assert.Single(Run(Clean().AddString(ImageComments, DicomVR.LT, text), patterned)).Detail);
    }

    [Theory]
    [InlineData("call 07700 900123", "D-TEXT-Phone", "telephone number at chars 6–17")]
    [InlineData("j.smith@trust.nhs.uk", "D-TEXT-Email", "e-mail address at chars 1–20")]
    [InlineData("12 Mill Lane, SW1A 1AA", "D-TEXT-Postcode", "postcode at chars 15–22")]
    [InlineData("MRN RX123456 ok", "D-TEXT-HospitalNumber", "hospital number at chars 5–12")]
    [InlineData("seen by Dr Okafor", "D-TEXT-ListedName", "listed name at chars 12–17")]
    public void Residual_identifiers_in_text_are_reported_by_kind_and_position(string text, string rule, string detail)
    {
        var profile = With(new DeidentificationOptions { CleanDescriptors = true, HospitalNumberPattern = "RX[0-9]{6}", Names = ["Okafor"] });

        var finding = Assert.Single(Run(Clean().AddString(ImageComments, DicomVR.LT, text), profile));

        Assert.Equal((rule, "(0020,4000)", detail), (finding.Rule.Id, finding.TagPath, finding.Detail));
    }

    [Fact]
    public void Text_in_a_utf8_data_set_is_decoded_before_it_is_searched()
    {
        var ds = new DicomDataSetBuilder(System.Text.Encoding.UTF8);
        foreach (var (tag, vr, value) in new[]
        {
            (new DicomTag(0x0008, 0x0005), DicomVR.CS, "ISO_IR 192"), (new DicomTag(0x0008, 0x0060), DicomVR.CS, "CT"),
            (PatientName, DicomVR.PN, Pseudonym), (PatientId, DicomVR.LO, Pseudonym),
            (new DicomTag(0x0012, 0x0062), DicomVR.CS, "YES"), (new DicomTag(0x0012, 0x0063), DicomVR.LO, "Basic"),
            (ImageComments, DicomVR.LT, "Zoë Brontë DOB 01/02/1950"),
        })
        {
            ds.AddString(tag, vr, value);
        }

        var profile = With(new DeidentificationOptions { CleanDescriptors = true, Names = ["Brontë"] });
        var findings = Run(ds, profile);

        Assert.Equal(["D-TEXT-DateOfBirth", "D-TEXT-ListedName"], Ids(findings));
        Assert.Contains(findings, f => f.Detail == "listed name at chars 5–10");
        Assert.Contains(findings, f => f.Detail == "date of birth at chars 16–25");
    }

    [Fact]
    public void Profile_overrides_switch_rules_off_and_change_severity()
    {
        var profile = AuditProfile.Basic with
        {
            Rules = new Dictionary<string, RuleOverride>
            {
                ["D-E1-OtherPatientIDs"] = new(Enabled: false),
                ["D-E1-AccessionNumber"] = new(Severity: Severity.Critical),
            },
        };
        var ds = Clean().AddString(OtherPatientIds, DicomVR.LO, "X1").AddString(AccessionNumber, DicomVR.SH, "A1");

        var finding = Assert.Single(Run(ds, profile));
        Assert.Equal(("D-E1-AccessionNumber", Severity.Critical), (finding.Rule.Id, finding.Severity));
    }

    [Fact]
    public void Checking_a_clean_header_allocates_nothing()
    {
        var profile = AuditProfile.Nccid with { Deidentification = AuditProfile.Nccid.Deidentification with { CleanDescriptors = true } };
        var check = new Nccid.Batch.Audit.Deidentification.DeidentificationCheck(profile);
        var ds = Clean().AddString(StudyDescription, DicomVR.LO, "CT THORAX 1.25mm").AddString(StudyDate, DicomVR.DA, "20200402");
        var bytes = DicomFileWriter.ToBytes(ds, new DicomWriteOptions());
        using var header = new DicomHeader();
        Assert.Equal(DicomParseStatus.Complete, DicomParser.Parse(bytes, bytes.Length, header, DicomReadOptions.Default));
        var facts = new InstanceFacts { Path = "a.dcm", Readable = true, FolderPseudonym = Pseudonym };
        var context = new InstanceContext(new Nccid.Batch.Storage.StoredObject("a.dcm", bytes.Length, DateTime.UnixEpoch), header,
            new Nccid.Batch.Pipeline.HeaderReadResult(DicomParseStatus.Complete, bytes.Length, 1, default), facts, new DateOnly(2024, 1, 1));
        var collector = new FindingCollector(profile);
        collector.Begin("a.dcm", null);
        check.Check(context, collector);
        Assert.Empty(collector.Findings);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++) check.Check(context, collector);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }
}
