using System.Security.Cryptography;
using Nccid.Batch.Dicom;
using Nccid.Batch.Pipeline;
using Nccid.Batch.Storage;
using Nccid.Batch.Tables;

namespace Nccid.Batch.Audit;

/// <summary>Projects and audits one file on a worker, in the same pass as the scan. One per worker.</summary>
public sealed class InstanceAuditor(AuditChecks checks, AuditProfile profile, DateOnly referenceDate, bool includeHeaderJson)
{
    private readonly InstanceProjector _projector = new(includeHeaderJson);
    private readonly FindingCollector _findings = new(profile);

    /// <summary>Reads facts, runs every per-instance check, and returns the audited instance.</summary>
    public AuditedInstance Audit(StoredObject stored, HeaderReader reader, HeaderReadResult result)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var row = _projector.Project(stored, reader, result, withHeaderJson: false);
        var facts = Facts(row, reader, result);
        _findings.Begin(row.Path, row.SOPInstanceUID);
        var context = new InstanceContext(stored, reader.Header, result, facts, referenceDate);
        foreach (var check in checks.InstanceChecks) check.Check(context, _findings);
        var findings = _findings.Drain();
        var withheld = IdentifierRedaction.Apply(row, findings);
        if (context.Readable) row.HeaderJson = _projector.HeaderJson(reader.Header, withheld);
        return new AuditedInstance(row, facts, findings);
    }

    private static InstanceFacts Facts(InstanceRow row, HeaderReader reader, HeaderReadResult result)
    {
        var readable = result.Status == DicomParseStatus.Complete;
        var header = reader.Header;
        int? birthYear = null;
        int? age = null;
        if (readable)
        {
            if (header.TryGetDate(DicomTags.PatientBirthDate, out var birth)) birthYear = birth.Year;
            age = AgeInYears(row.PatientAge);
        }

        byte[]? hash = null;
        if (readable)
        {
            var length = (int)Math.Min(reader.LastRead.Length, Math.Max(header.HeaderLength, header.DataSetOffset));
            hash = SHA256.HashData(reader.LastRead.Span[..length]);
        }

        return new InstanceFacts
        {
            Path = row.Path,
            Size = row.SizeBytes,
            Readable = readable,
            FolderPseudonym = SubmissionLayout.FolderPseudonym(row.Path),
            SopInstanceUid = row.SOPInstanceUID,
            SopClassUid = row.SOPClassUID,
            Modality = row.Modality,
            PatientId = row.PatientID,
            PatientSex = row.PatientSex,
            BirthYear = birthYear,
            AgeYears = age,
            StudyDate = row.StudyDate,
            StudyInstanceUid = row.StudyInstanceUID,
            SeriesInstanceUid = row.SeriesInstanceUID,
            FrameOfReferenceUid = row.FrameOfReferenceUID,
            InstanceNumber = row.InstanceNumber,
            ImagePositionPatient = row.ImagePositionPatient as double[],
            ImageOrientationPatient = row.ImageOrientationPatient as double[],
            SliceThickness = row.SliceThickness,
            HeaderHash = hash,
        };
    }

    /// <summary>An AS value (nnnD/W/M/Y) in whole years, or null.</summary>
    public static int? AgeInYears(string? age)
    {
        if (age is not { Length: 4 } || !int.TryParse(age.AsSpan(0, 3), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)) return null;
        return age[3] switch
        {
            'Y' => n,
            'M' => n / 12,
            'W' => n / 52,
            'D' => n / 365,
            _ => null,
        };
    }
}
