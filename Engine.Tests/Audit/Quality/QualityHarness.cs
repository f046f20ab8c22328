using System.Globalization;
using System.Security.Cryptography;
using Nccid.Batch.Audit;
using Nccid.Batch.Dicom;
using Nccid.Batch.Pipeline;
using Nccid.Batch.Storage;

namespace Nccid.Batch.Tests.Audit.Quality;

/// <summary>Runs the quality checks over headers the way a scan worker does: parse, build the context and facts, check.</summary>
internal static class QualityHarness
{
    public static readonly DateOnly ReferenceDate = new(2025, 1, 1);

    public static (IReadOnlyList<IInstanceCheck> Instance, IReadOnlyList<Func<CollectionScratch, ICollectionCheck>> Collection) Checks(AuditProfile? profile = null)
    {
        var instance = new List<IInstanceCheck>();
        var collection = new List<Func<CollectionScratch, ICollectionCheck>>();
        QualityRegistration.Register(profile ?? AuditProfile.Basic, instance, collection);
        return (instance, collection);
    }

    /// <summary>Parses a whole file held in memory and runs every per-instance quality check over it.</summary>
    public static IReadOnlyList<AuditFinding> CheckBytes(byte[] bytes, string path = "test.dcm", DateOnly? referenceDate = null)
    {
        using var header = new DicomHeader();
        var status = DicomParser.Parse(bytes, bytes.Length, header, DicomReadOptions.Default);
        var result = new HeaderReadResult(status, bytes.Length, 1, header.Error);
        return CheckHeader(header, result, new StoredObject(path, bytes.Length, default), referenceDate ?? ReferenceDate, null).Findings;
    }

    /// <summary>Runs the per-instance checks over a parsed header; returns the findings and the instance's facts.</summary>
    public static (IReadOnlyList<AuditFinding> Findings, InstanceFacts Facts) CheckHeader(
        DicomHeader header, HeaderReadResult result, StoredObject storedObject, DateOnly referenceDate, string? folderPseudonym)
    {
        var facts = Facts(header, result, storedObject, folderPseudonym);
        var context = new InstanceContext(storedObject, header, result, facts, referenceDate);
        var findings = new FindingCollector(AuditProfile.Basic);
        findings.Begin(storedObject.Key, facts.SopInstanceUid);
        foreach (var check in Checks().Instance) check.Check(context, findings);
        return (findings.Drain(), facts);
    }

    /// <summary>
    /// Runs the collection checks over facts given in path order, once with every fact in memory and once with the
    /// checks' sorts writing a run to disk for every fact; both must report the same findings, in the same order.
    /// </summary>
    public static async Task<IReadOnlyList<AuditFinding>> CompleteAsync(IObjectStore store, IEnumerable<InstanceFacts> facts, AuditProfile? profile = null)
    {
        var ordered = facts.OrderBy(f => f.Path, StringComparer.Ordinal).ToArray();
        var inMemory = await CompleteAsync(store, ordered, profile, CollectionScratch.InMemory);
        var scratch = Path.Combine(Path.GetTempPath(), "nccid-collection-" + Guid.NewGuid().ToString("N"));
        try
        {
            var spilled = await CompleteAsync(store, ordered, profile, new CollectionScratch(scratch, 1));
            Assert.Equal(inMemory, spilled);
            // With room for one fact, the first fact a sort takes is written out at once.
            if (ordered.Any(f => f.Readable && !string.IsNullOrEmpty(f.SopInstanceUid))) Assert.True(Directory.Exists(scratch), "no sort wrote a run");
            Assert.Empty(Directory.Exists(scratch) ? Directory.GetFiles(scratch) : []);
        }
        finally
        {
            if (Directory.Exists(scratch)) Directory.Delete(scratch, recursive: true);
        }

        return inMemory;
    }

    private static async Task<IReadOnlyList<AuditFinding>> CompleteAsync(IObjectStore store, InstanceFacts[] facts, AuditProfile? profile, CollectionScratch scratch)
    {
        var checks = Checks(profile).Collection.Select(f => f(scratch)).ToList();
        foreach (var f in facts)
        {
            foreach (var check in checks) check.Observe(f);
        }

        var findings = new FindingCollector(profile ?? AuditProfile.Basic);
        foreach (var check in checks) await check.CompleteAsync(new CollectionContext(store), findings, CancellationToken.None);
        return findings.Drain();
    }

    public static InstanceFacts Facts(DicomHeader header, HeaderReadResult result, StoredObject storedObject, string? folderPseudonym)
    {
        if (result.Status != DicomParseStatus.Complete)
        {
            return new InstanceFacts { Path = storedObject.Key, Size = storedObject.Size, Readable = false, FolderPseudonym = folderPseudonym };
        }

        return new InstanceFacts
        {
            Path = storedObject.Key,
            Size = storedObject.Size,
            Readable = true,
            FolderPseudonym = folderPseudonym,
            SopInstanceUid = header.GetString(DicomTags.SOPInstanceUID),
            SopClassUid = header.GetString(DicomTags.SOPClassUID),
            Modality = header.GetString(DicomTags.Modality),
            PatientId = header.GetString(DicomTags.PatientID),
            PatientSex = header.GetString(DicomTags.PatientSex),
            BirthYear = header.TryGetDate(DicomTags.PatientBirthDate, out var birth) ? birth.Year : null,
            AgeYears = AgeYears(header.GetString(DicomTags.PatientAge)),
            StudyDate = header.TryGetDate(DicomTags.StudyDate, out var date) ? date : null,
            StudyInstanceUid = header.GetString(DicomTags.StudyInstanceUID),
            SeriesInstanceUid = header.GetString(DicomTags.SeriesInstanceUID),
            FrameOfReferenceUid = header.GetString(DicomTags.FrameOfReferenceUID),
            InstanceNumber = header.TryGetInt32(DicomTags.InstanceNumber, out var number) ? number : null,
            ImagePositionPatient = header.GetDoubles(DicomTags.ImagePositionPatient) is { Length: 3 } position ? position : null,
            ImageOrientationPatient = header.GetDoubles(DicomTags.ImageOrientationPatient) is { Length: 6 } orientation ? orientation : null,
            SliceThickness = header.TryGetDouble(DicomTags.SliceThickness, out var thickness) ? thickness : null,
            HeaderHash = SHA256.HashData(header.Data.Span[..(int)header.HeaderLength]),
        };
    }

    private static int? AgeYears(string? age)
    {
        if (age is not { Length: 4 } || !int.TryParse(age.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return null;
        return age[3] switch { 'Y' => n, 'M' => n / 12, 'W' => n / 52, 'D' => n / 365, _ => null };
    }
}
