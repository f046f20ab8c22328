using System.Globalization;
using System.Text;
using Nccid.Batch.Dicom;
using Nccid.Batch.Tests.Fixtures;

namespace Nccid.Batch.Tests.Dicom;

/// <summary>
/// Compares what the reader reports for each public DICOM test file with what pydicom and dcmtk's dcmdump report
/// for the same file, both run now. A value neither reference gives fails; a value only one reference disagrees
/// with must be listed, with its reason, in docs/conformance.md, and every listed disagreement must still occur.
/// </summary>
public class ConformanceTests
{
    private static readonly (string Field, uint Tag)[] ElementFields =
    [
        ("sopClass", DicomTags.SOPClassUID), ("sopInstance", DicomTags.SOPInstanceUID),
        ("study", DicomTags.StudyInstanceUID), ("series", DicomTags.SeriesInstanceUID), ("modality", DicomTags.Modality),
        ("patientId", DicomTags.PatientID), ("studyDate", DicomTags.StudyDate), ("seriesDate", DicomTags.SeriesDate),
        ("rows", DicomTags.Rows), ("columns", DicomTags.Columns), ("patientName", DicomTags.PatientName),
    ];

    [Theory]
    [MemberData(nameof(PublicDicomFiles.ConformanceCases), MemberType = typeof(PublicDicomFiles))]
    public void Reader_agrees_with_pydicom_and_dcmdump_or_the_difference_is_listed(string name)
    {
        var ours = OurReading(name, out var header);
        var pydicom = PydicomReference.Read(name);
        var dcmdump = DcmdumpReference.Read(name);

        var unsupported = new List<string>();
        var found = new HashSet<ConformanceTable.Disagreement>();
        foreach (var field in ConformanceReading.FieldNames)
        {
            if (field != "status" && !ours.Ok) continue;
            // A reference that rejected the file has only its status to compare.
            var ourValue = ours.Get(field);
            var pyCompared = field == "status" || pydicom.Ok;
            var dcmCompared = field == "status" || dcmdump.Ok;
            var pyAgrees = pyCompared && pydicom.Get(field) == ourValue;
            var dcmAgrees = dcmCompared && dcmdump.Get(field) == ourValue;
            if (pyAgrees == pyCompared && dcmAgrees == dcmCompared) continue;
            var row = new ConformanceTable.Disagreement(name, field,
                ConformanceTable.Display(pydicom, field), ConformanceTable.Display(dcmdump, field), ConformanceTable.Display(ours, field));
            if (pyAgrees || dcmAgrees) found.Add(row);
            else unsupported.Add(row.ToString());
        }

        var listed = ConformanceTable.All.Where(r => r.File == name).Select(r => r.Key).ToHashSet();
        var unlisted = found.Where(d => !listed.Contains(d)).ToList();
        var stale = listed.Where(d => !found.Contains(d)).ToList();

        var report = new StringBuilder();
        foreach (var row in unsupported) report.Append("neither reference agrees: ").AppendLine(row);
        foreach (var row in unlisted) report.Append("not listed in docs/conformance.md: ").AppendLine(row.ToString());
        foreach (var row in stale) report.Append("listed in docs/conformance.md but no longer so: ").AppendLine(row.ToString());
        if (!ours.Ok) report.Append("ours: ").AppendLine(ours.Error);
        if (!pydicom.Ok) report.Append("pydicom: ").AppendLine(pydicom.Error);
        if (!dcmdump.Ok) report.Append("dcmdump: ").AppendLine(dcmdump.Error);
        Assert.True(unsupported.Count == 0 && unlisted.Count == 0 && stale.Count == 0, report.ToString());

        // A rejection is a typed error with a reason, never a crash or a silent stop.
        if (!ours.Ok)
        {
            Assert.NotEqual(DicomErrorKind.None, header.Error.Kind);
            Assert.False(string.IsNullOrWhiteSpace(header.Error.Message));
        }
    }

    [Fact]
    public void Every_listed_disagreement_names_a_suite_file_a_compared_field_and_a_reason()
    {
        var names = PublicDicomFiles.ConformanceNames().ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(ConformanceTable.All);
        foreach (var row in ConformanceTable.All)
        {
            Assert.True(names.Contains(row.File), $"{row.File} is not a file of the suite");
            Assert.Contains(row.Field, ConformanceReading.FieldNames);
            Assert.True(row.Reason.Length > 20, $"{row.File} {row.Field}: the reason is missing");
            Assert.True(row.Pydicom == row.Ours ^ row.Dcmdump == row.Ours, $"{row.File} {row.Field}: exactly one reference must agree with ours");
        }
    }

    [Fact]
    public void Suite_covers_the_dcm_files_and_the_extensionless_dicomdir_set()
    {
        var names = PublicDicomFiles.ConformanceNames();
        Assert.Equal(PublicDicomFiles.All().Count, names.Count(n => !n.Contains('/', StringComparison.Ordinal) && n.EndsWith(".dcm", StringComparison.Ordinal)));
        Assert.Contains("dicomdirtests/DICOMDIR", names);
        Assert.Contains("dicomdirtests/77654033/CR1/6154", names);
        Assert.DoesNotContain(names, n => n.EndsWith(".txt", StringComparison.Ordinal) || n.EndsWith(".gz", StringComparison.Ordinal));
    }

    private static ConformanceReading OurReading(string name, out DicomHeader header)
    {
        var bytes = File.ReadAllBytes(PublicDicomFiles.Path(name));
        header = new DicomHeader();
        var status = DicomParser.Parse(bytes, bytes.Length, header, DicomReadOptions.Default);
        Assert.NotEqual(DicomParseStatus.NeedMoreData, status);
        if (status == DicomParseStatus.Error) return ConformanceReading.Rejection(header.Error.ToString());

        var fields = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["transferSyntax"] = header.DeclaredTransferSyntaxUid,
            ["charset"] = header.GetStrings(DicomTags.SpecificCharacterSet) is { } charset ? string.Join('\\', charset) : null,
            ["topLevelCount"] = header.TopLevelCount.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (field, tag) in ElementFields) fields[field] = header.GetString(tag);
        return new ConformanceReading(true, null, fields);
    }
}
