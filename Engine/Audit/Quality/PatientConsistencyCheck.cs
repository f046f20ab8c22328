using System.Globalization;
using Nccid.Batch.Dicom;

namespace Nccid.Batch.Audit.Quality;

/// <summary>
/// Study and patient rules: a study belongs to one patient, the Patient ID is the pseudonym of the folder the file
/// came in, and a patient's studies agree on sex and birth year. Details name studies by UID and never quote a
/// patient identifier or a demographic value.
/// </summary>
internal sealed class PatientConsistencyCheck : ICollectionCheck
{
    private static readonly string PatientIdPath = TagPath.Of(DicomTags.PatientID);
    private readonly Dictionary<string, StudyState> _studies = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<InstanceFacts>> _patients = new(StringComparer.Ordinal);
    private readonly List<InstanceFacts> _folderMismatches = [];

    /// <inheritdoc />
    public IReadOnlyList<AuditRule> Rules { get; } =
    [
        QualityRules.StudyUnderSeveralPatients, QualityRules.PatientIdFolderMismatch, QualityRules.PatientSexConflict,
        QualityRules.PatientAgeConflict,
    ];

    /// <inheritdoc />
    public void Observe(InstanceFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (!facts.Readable) return;
        if (facts.FolderPseudonym is { } pseudonym && !string.Equals(pseudonym, facts.PatientId, StringComparison.Ordinal))
        {
            _folderMismatches.Add(facts);
        }

        var patientId = facts.PatientId ?? string.Empty;
        if (!string.IsNullOrEmpty(facts.StudyInstanceUid))
        {
            if (!_studies.TryGetValue(facts.StudyInstanceUid, out var study))
            {
                _studies.Add(facts.StudyInstanceUid, new StudyState(facts, patientId));
            }
            else if (!study.PatientIds.Contains(patientId))
            {
                study.PatientIds.Add(patientId);
            }
        }

        if (patientId.Length == 0) return;
        if (!_patients.TryGetValue(patientId, out var instances))
        {
            instances = [];
            _patients.Add(patientId, instances);
        }

        // One instance per study is enough: the rules compare studies, not images.
        foreach (var seen in instances)
        {
            if (string.Equals(seen.StudyInstanceUid, facts.StudyInstanceUid, StringComparison.Ordinal)
                && string.Equals(seen.PatientSex, facts.PatientSex, StringComparison.Ordinal)
                && seen.BirthYear == facts.BirthYear && seen.AgeYears == facts.AgeYears && seen.StudyDate == facts.StudyDate)
            {
                return;
            }
        }

        instances.Add(facts);
    }

    /// <inheritdoc />
    public ValueTask CompleteAsync(CollectionContext context, FindingCollector findings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(findings);
        ReportStudies(findings);

        _folderMismatches.Sort(static (a, b) => string.CompareOrdinal(a.Path, b.Path));
        foreach (var f in _folderMismatches)
        {
            findings.Report(QualityRules.PatientIdFolderMismatch, f, PatientIdPath,
                f.PatientId is null ? "PatientID is missing; the folder names a pseudonym." : "PatientID differs from the folder's pseudonym.");
        }

        var keys = new List<string>(_patients.Keys);
        keys.Sort(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var instances = _patients[key];
            instances.Sort(static (a, b) => string.CompareOrdinal(a.Path, b.Path));
            CheckSex(instances, findings);
            CheckBirthYear(instances, findings);
        }

        return ValueTask.CompletedTask;
    }

    private void ReportStudies(FindingCollector findings)
    {
        var keys = new List<string>(_studies.Keys);
        keys.Sort(StringComparer.Ordinal);
        foreach (var uid in keys)
        {
            var study = _studies[uid];
            if (study.PatientIds.Count < 2) continue;
            findings.Report(QualityRules.StudyUnderSeveralPatients, study.First, TagPath.Of(DicomTags.StudyInstanceUID),
                "Study " + uid + " appears under " + study.PatientIds.Count.ToString(CultureInfo.InvariantCulture) + " different PatientIDs.");
        }
    }

    private static void CheckSex(List<InstanceFacts> instances, FindingCollector findings)
    {
        InstanceFacts? reference = null;
        foreach (var f in instances)
        {
            if (string.IsNullOrEmpty(f.PatientSex)) continue;
            if (reference is null)
            {
                reference = f;
                continue;
            }

            if (string.Equals(reference.PatientSex, f.PatientSex, StringComparison.Ordinal)) continue;
            findings.Report(QualityRules.PatientSexConflict, f, TagPath.Of(DicomTags.PatientSex),
                "PatientSex in study " + f.StudyInstanceUid + " differs from study " + reference.StudyInstanceUid + " of the same patient.");
            return;
        }
    }

    private static void CheckBirthYear(List<InstanceFacts> instances, FindingCollector findings)
    {
        // Each instance bounds the birth year: exactly by PatientBirthDate, or by PatientAge at the study date to
        // one of two years (the birthday may fall before or after the study). The bounds must overlap.
        int low = int.MinValue, high = int.MaxValue;
        InstanceFacts? reference = null;
        foreach (var f in instances)
        {
            if (!Bounds(f, out var fLow, out var fHigh)) continue;
            var nextLow = Math.Max(low, fLow);
            var nextHigh = Math.Min(high, fHigh);
            if (nextLow > nextHigh)
            {
                findings.Report(QualityRules.PatientAgeConflict, f, TagPath.Of(f.BirthYear is null ? DicomTags.PatientAge : DicomTags.PatientBirthDate),
                    reference is null
                        ? "PatientBirthDate and PatientAge of study " + f.StudyInstanceUid + " imply different birth years."
                        : "The birth year implied by study " + f.StudyInstanceUid + " contradicts study " + reference.StudyInstanceUid + " of the same patient.");
                return;
            }

            low = nextLow;
            high = nextHigh;
            reference ??= f;
        }
    }

    private static bool Bounds(InstanceFacts f, out int low, out int high)
    {
        low = int.MinValue;
        high = int.MaxValue;
        var any = false;
        if (f.BirthYear is { } year)
        {
            low = high = year;
            any = true;
        }

        if (f.AgeYears is { } age && f.StudyDate is { } date)
        {
            low = Math.Max(low, date.Year - age - 1);
            high = Math.Min(high, date.Year - age);
            any = true;
        }

        return any;
    }

    private sealed class StudyState(InstanceFacts first, string patientId)
    {
        public InstanceFacts First { get; } = first;

        public List<string> PatientIds { get; } = [patientId];
    }
}
