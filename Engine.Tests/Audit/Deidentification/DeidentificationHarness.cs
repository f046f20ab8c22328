using Nccid.Batch.Audit;
using Nccid.Batch.Audit.Deidentification;
using Nccid.Batch.Dicom;
using Nccid.Batch.Pipeline;
using Nccid.Batch.Storage;
using Nccid.Batch.Synthetic;

namespace Nccid.Batch.Tests.Audit.Deidentification;

/// <summary>Builds small files, parses them and runs the de-identification check on them.</summary>
internal static class DeidentificationHarness
{
    public const string Pseudonym = "C000123";

    private static readonly DateTime Listed = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>A data set that satisfies the Basic Profile: pseudonymised identity, markers, nothing else identifying.</summary>
    public static DicomDataSetBuilder Clean(string modality = "CT")
    {
        var ds = new DicomDataSetBuilder();
        ds.AddString(new DicomTag(0x0008, 0x0016), DicomVR.UI, "1.2.840.10008.5.1.4.1.1.2")
            .AddString(new DicomTag(0x0008, 0x0018), DicomVR.UI, "2.25.1111")
            .AddString(new DicomTag(0x0008, 0x0060), DicomVR.CS, modality)
            .AddString(new DicomTag(0x0010, 0x0010), DicomVR.PN, Pseudonym)
            .AddString(new DicomTag(0x0010, 0x0020), DicomVR.LO, Pseudonym)
            .AddString(new DicomTag(0x0012, 0x0062), DicomVR.CS, "YES")
            .AddString(new DicomTag(0x0012, 0x0063), DicomVR.LO, "Basic Profile")
            .AddString(new DicomTag(0x0020, 0x000D), DicomVR.UI, "2.25.2222")
            .AddString(new DicomTag(0x0020, 0x000E), DicomVR.UI, "2.25.3333");
        if (modality is "CR" or "DX") ds.AddString(new DicomTag(0x0028, 0x0301), DicomVR.CS, "NO");
        return ds;
    }

    public static IReadOnlyList<AuditFinding> Run(
        DicomDataSetBuilder dataSet, AuditProfile profile,
        SyntheticTransferSyntax syntax = SyntheticTransferSyntax.ExplicitVRLittleEndian, string? folderPseudonym = Pseudonym)
    {
        var bytes = DicomFileWriter.ToBytes(dataSet, new DicomWriteOptions { TransferSyntax = syntax });
        return Run(bytes, new DeidentificationCheck(profile), profile, "test.dcm", folderPseudonym);
    }

    public static IReadOnlyList<AuditFinding> Run(byte[] bytes, DeidentificationCheck check, AuditProfile profile, string path, string? folderPseudonym) =>
        Run(bytes, check, profile, path, folderPseudonym, out _);

    public static IReadOnlyList<AuditFinding> Run(
        byte[] bytes, DeidentificationCheck check, AuditProfile profile, string path, string? folderPseudonym, out bool complete)
    {
        using var header = new DicomHeader();
        var status = DicomParser.Parse(bytes, bytes.Length, header, DicomReadOptions.Default);
        complete = status == DicomParseStatus.Complete;
        var facts = new InstanceFacts { Path = path, Size = bytes.Length, Readable = status == DicomParseStatus.Complete, FolderPseudonym = folderPseudonym };
        var context = new InstanceContext(
            new StoredObject(path, bytes.Length, Listed), header, new HeaderReadResult(status, bytes.Length, 1, header.Error), facts, new DateOnly(2024, 1, 1));
        var collector = new FindingCollector(profile);
        collector.Begin(path, null);
        check.Check(context, collector);
        return collector.Drain();
    }

    public static AuditProfile With(DeidentificationOptions options) => AuditProfile.Basic with { Deidentification = options };

    public static string[] Ids(IEnumerable<AuditFinding> findings) => findings.Select(f => f.Rule.Id).Order(StringComparer.Ordinal).ToArray();
}
