using System.Globalization;
using Nccid.Batch.Audit;
using Nccid.Batch.Audit.Quality;
using Nccid.Batch.Storage;

namespace Nccid.Batch.Tests.Audit.Quality;

public sealed class CollectionCheckTests : IDisposable
{
    private static readonly double[] Axial = [1, 0, 0, 0, 1, 0];
    private readonly string _root = Path.Combine(Path.GetTempPath(), "nccid-dup-" + Guid.NewGuid().ToString("N"));

    public CollectionCheckTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_series_mixing_modalities_and_sop_classes_is_reported_once_each()
    {
        var findings = await Complete(
            Ct("a", 1, 0),
            Instance("b", "2.25.9", modality: "MR", sopClass: QualityFixtures.MrClass, number: 2, series: "2.25.2"));

        Assert.Equal(["Q-SERIES-001 a", "Q-SERIES-002 a"], Ids(findings));
    }

    [Fact]
    public async Task Duplicate_and_missing_instance_numbers_are_reported_on_the_later_files()
    {
        var findings = await Complete(Ct("a", 1, 0), Ct("b", 1, 5), Ct("c", null, 10));

        Assert.Equal(["Q-SERIES-003 b", "Q-SERIES-004 c"], Ids(findings));
    }

    [Fact]
    public async Task Evenly_spaced_ct_slices_in_any_order_and_direction_are_clean()
    {
        var findings = await Complete(Ct("c", 3, -20), Ct("a", 1, -10), Ct("b", 2, -15), Ct("d", 4, -25));

        Assert.Empty(findings);
    }

    [Fact]
    public async Task A_missing_slice_is_uneven_spacing_beyond_the_profiles_tolerance()
    {
        var facts = new[] { Ct("a", 1, 0), Ct("b", 2, 5), Ct("c", 3, 10), Ct("d", 4, 20.05) };

        Assert.Equal(["Q-SERIES-005 d"], Ids(await Complete(facts)));
        Assert.Empty(await Complete(AuditProfile.Basic with { SliceSpacingToleranceMm = 0.1 }, Ct("a", 1, 0), Ct("b", 2, 5), Ct("c", 3, 10.05)));
    }

    [Fact]
    public async Task Spacing_other_than_slice_thickness_is_information()
    {
        var findings = await Complete(Ct("a", 1, 0, thickness: 2.5), Ct("b", 2, 5, thickness: 2.5), Ct("c", 3, 10, thickness: 2.5));

        var finding = Assert.Single(findings);
        Assert.Equal("Q-SERIES-006", finding.Rule.Id);
        Assert.Equal(Severity.Info, finding.Severity);
    }

    [Fact]
    public async Task Different_frames_of_reference_and_orientations_in_a_series_are_reported()
    {
        var tilted = Ct("b", 2, 5);
        var findings = await Complete(
            Ct("a", 1, 0),
            new InstanceFactsBuilder(tilted) { FrameOfReferenceUid = "2.25.77", ImageOrientationPatient = [1, 0, 0, 0, 0.9, 0.1] }.Build());

        Assert.Equal(["Q-SERIES-007 a", "Q-SERIES-008 b"], Ids(findings));
    }

    [Fact]
    public async Task One_study_under_two_patient_ids_is_reported_without_the_ids()
    {
        var findings = await Complete(Instance("a", "2.25.1", patientId: "C000001"), Instance("b", "2.25.2", patientId: "C000002"));

        var finding = Assert.Single(findings);
        Assert.Equal("Q-STUDY-001", finding.Rule.Id);
        Assert.DoesNotContain("C00000", finding.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_patient_id_other_than_the_folders_pseudonym_is_reported_without_either_value()
    {
        var findings = await Complete(Instance("a", "2.25.1", patientId: "C000001", folder: "C000001"), Instance("b", "2.25.2", patientId: "C999999", folder: "C000001", study: "2.25.50"));

        var finding = Assert.Single(findings);
        Assert.Equal("Q-PATIENT-001 b", finding.Rule.Id + " " + finding.Path);
        Assert.Equal("PatientID differs from the folder's pseudonym.", finding.Detail);
    }

    [Fact]
    public async Task Studies_of_one_patient_that_disagree_on_sex_or_birth_year_are_reported()
    {
        var findings = await Complete(
            Instance("a", "2.25.1", study: "2.25.10", sex: "F", age: 54, date: new DateOnly(2020, 3, 1)),
            Instance("b", "2.25.2", study: "2.25.11", sex: "M", age: 54, date: new DateOnly(2021, 2, 1)),
            Instance("c", "2.25.3", study: "2.25.12", sex: "F", age: 60, date: new DateOnly(2021, 3, 1)));

        Assert.Equal(["Q-PATIENT-002 b", "Q-PATIENT-003 c"], Ids(findings));
        Assert.All(findings, f => Assert.DoesNotContain("54", f.Detail, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_age_that_turns_over_a_birthday_between_studies_is_consistent()
    {
        var findings = await Complete(
            Instance("a", "2.25.1", study: "2.25.10", age: 54, date: new DateOnly(2020, 3, 1), birthYear: 1965),
            Instance("b", "2.25.2", study: "2.25.11", age: 55, date: new DateOnly(2021, 2, 1)));

        Assert.Empty(findings);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task Study_and_patient_rules_over_interleaved_instances_report_what_each_patient_audited_alone_reports(int seed)
    {
        // Runs of instances that repeat the one before, interleaved with other patients' and studies': the rules sort
        // by study and by patient and leave repeats out, which must change nothing.
        var random = new Random(seed);
        string?[] sexes = [null, "F", "M"];
        int?[] ages = [null, 50, 51, 60];
        int?[] birthYears = [null, 1965, 1970];
        DateOnly?[] dates = [null, new DateOnly(2020, 3, 1), new DateOnly(2021, 2, 1)];
        var facts = new List<InstanceFacts>();
        for (var i = 0; i < 400; i++)
        {
            var path = "p" + i.ToString("D4", CultureInfo.InvariantCulture);
            var uid = "2.25.9" + i.ToString(CultureInfo.InvariantCulture);
            facts.Add(facts.Count > 0 && random.Next(3) > 0
                ? new InstanceFactsBuilder(facts[^1]) { Path = path, SopInstanceUid = uid, SeriesInstanceUid = "2.25.2" + uid }.Build()
                : Instance(path, uid, patientId: "C00000" + random.Next(1, 7).ToString(CultureInfo.InvariantCulture),
                    study: "2.25." + random.Next(100, 112).ToString(CultureInfo.InvariantCulture), sex: sexes[random.Next(sexes.Length)],
                    age: ages[random.Next(ages.Length)], date: dates[random.Next(dates.Length)], birthYear: birthYears[random.Next(birthYears.Length)]));
        }

        static bool PatientRule(AuditFinding f) => f.Rule.Id is "Q-PATIENT-002" or "Q-PATIENT-003";
        var expected = new List<string>();
        foreach (var study in facts.GroupBy(f => f.StudyInstanceUid!).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var patients = study.Select(f => f.PatientId).Distinct().Count();
            if (patients > 1) expected.Add($"Q-STUDY-001 {study.First().Path} Study {study.Key} appears under {patients} different PatientIDs.");
        }

        foreach (var patient in facts.GroupBy(f => f.PatientId!).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            expected.AddRange((await Complete([.. patient])).Where(PatientRule).Select(f => $"{f.Rule.Id} {f.Path} {f.Detail}"));
        }

        var actual = (await Complete([.. facts])).Where(f => f.Rule.Id == "Q-STUDY-001" || PatientRule(f)).Select(f => $"{f.Rule.Id} {f.Path} {f.Detail}");
        Assert.Equal(expected, actual);
        Assert.Contains(expected, e => e.StartsWith("Q-STUDY-001", StringComparison.Ordinal));
        Assert.Contains(expected, e => e.StartsWith("Q-PATIENT-00", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Copies_with_one_sop_instance_uid_are_told_apart_byte_for_byte()
    {
        var original = new byte[200_000];
        new Random(1).NextBytes(original);
        var changed = (byte[])original.Clone();
        changed[150_000] ^= 1;
        Write("a.dcm", original);
        Write("b.dcm", original);
        Write("c.dcm", changed);
        var hash = new byte[] { 1, 2, 3 };
        var facts = new[] { "c.dcm", "a.dcm", "b.dcm" }
            .Select(p => Instance(p, "2.25.5", number: null))
            .Select(f => new InstanceFactsBuilder(f) { Size = original.Length, HeaderHash = hash }.Build())
            .ToArray();

        var findings = (await Complete(facts)).Where(f => f.Rule.Id.StartsWith("Q-DUP", StringComparison.Ordinal)).ToList();

        Assert.Equal(["Q-DUP-001 a.dcm", "Q-DUP-002 a.dcm", "Q-DUP-001 b.dcm", "Q-DUP-002 b.dcm", "Q-DUP-002 c.dcm"], findings.Select(f => f.Rule.Id + " " + f.Path));
        Assert.All(findings, f => Assert.Equal("2.25.5", f.SopInstanceUid));
    }

    [Fact]
    public async Task Files_of_different_sizes_are_different_content_without_being_read()
    {
        // No files on disk: a read would throw.
        var facts = new[] { Instance("x.dcm", "2.25.5"), new InstanceFactsBuilder(Instance("y.dcm", "2.25.5")) { Size = 11 }.Build() };

        var findings = await Complete(facts);

        Assert.Equal(["Q-DUP-002 x.dcm", "Q-DUP-002 y.dcm"], findings.Select(f => f.Rule.Id + " " + f.Path));
    }

    private void Write(string name, byte[] bytes) => File.WriteAllBytes(Path.Combine(_root, name), bytes);

    private Task<IReadOnlyList<AuditFinding>> Complete(params InstanceFacts[] facts) => Complete(AuditProfile.Basic, facts);

    private Task<IReadOnlyList<AuditFinding>> Complete(AuditProfile profile, params InstanceFacts[] facts) =>
        QualityHarness.CompleteAsync(new LocalFileStore(_root), facts, profile);

    private static string[] Ids(IEnumerable<AuditFinding> findings) => findings.Select(f => f.Rule.Id + " " + f.Path).ToArray();

    private static InstanceFacts Ct(string path, int? number, double z, double thickness = 5) => new()
    {
        Path = path,
        Size = 10,
        Readable = true,
        SopInstanceUid = "2.25.100" + path,
        SopClassUid = QualityFixtures.CtClass,
        Modality = "CT",
        PatientId = "C000001",
        StudyInstanceUid = "2.25.1",
        SeriesInstanceUid = "2.25.2",
        FrameOfReferenceUid = "2.25.3",
        InstanceNumber = number,
        ImagePositionPatient = [-100, -100, z],
        ImageOrientationPatient = Axial,
        SliceThickness = thickness,
    };

    private static InstanceFacts Instance(
        string path, string sopUid, string? modality = "CR", string? sopClass = QualityFixtures.CrClass, int? number = 1, string patientId = "C000001",
        string? folder = null, string study = "2.25.1", string? sex = null, int? age = null, DateOnly? date = null, int? birthYear = null,
        string? series = null) => new()
    {
        Path = path,
        Size = 10,
        Readable = true,
        FolderPseudonym = folder,
        SopInstanceUid = sopUid,
        SopClassUid = sopClass,
        Modality = modality,
        PatientId = patientId,
        PatientSex = sex,
        AgeYears = age,
        BirthYear = birthYear,
        StudyDate = date,
        StudyInstanceUid = study,
        SeriesInstanceUid = series ?? "2.25.2" + sopUid,
        InstanceNumber = number,
    };

    /// <summary>Copies facts with a few changes (InstanceFacts has init-only properties).</summary>
    private sealed class InstanceFactsBuilder(InstanceFacts from)
    {
        public string Path { get; init; } = from.Path;

        public string? SopInstanceUid { get; init; } = from.SopInstanceUid;

        public string? SeriesInstanceUid { get; init; } = from.SeriesInstanceUid;

        public string? FrameOfReferenceUid { get; init; } = from.FrameOfReferenceUid;

        public double[]? ImageOrientationPatient { get; init; } = from.ImageOrientationPatient;

        public long Size { get; init; } = from.Size;

        public byte[]? HeaderHash { get; init; } = from.HeaderHash;

        public InstanceFacts Build() => new()
        {
            Path = Path, Size = Size, Readable = from.Readable, FolderPseudonym = from.FolderPseudonym, SopInstanceUid = SopInstanceUid,
            SopClassUid = from.SopClassUid, Modality = from.Modality, PatientId = from.PatientId, PatientSex = from.PatientSex,
            BirthYear = from.BirthYear, AgeYears = from.AgeYears, StudyDate = from.StudyDate, StudyInstanceUid = from.StudyInstanceUid,
            SeriesInstanceUid = SeriesInstanceUid, FrameOfReferenceUid = FrameOfReferenceUid, InstanceNumber = from.InstanceNumber,
            ImagePositionPatient = from.ImagePositionPatient, ImageOrientationPatient = ImageOrientationPatient,
            SliceThickness = from.SliceThickness, HeaderHash = HeaderHash,
        };
    }
}
