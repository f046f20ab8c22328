using System.Globalization;
using Nccid.Batch.Dicom;
using Nccid.Batch.Storage;

namespace Nccid.Batch.Audit.Quality;

/// <summary>
/// Study and patient rules: a study belongs to one patient, the Patient ID is the pseudonym of the folder the file
/// came in, and a patient's studies agree on sex and birth year. Details name studies by UID and never quote a
/// patient identifier or a demographic value. The facts are sorted by study and by patient through
/// <see cref="ExternalSorter{T}"/>s, so memory holds one study's or one patient's facts at a time; an instance that
/// repeats the study, patient and demographics of the one before it adds nothing to either rule and is not sorted.
/// </summary>
internal sealed class PatientConsistencyCheck(CollectionScratch scratch) : ICollectionCheck
{
    private static readonly string PatientIdPath = TagPath.Of(DicomTags.PatientID);

    // Within a study or a patient, instances in listing order: each group starts with its first listed instance,
    // whatever order the instances were observed in.
    private readonly ExternalSorter<InstanceFacts> _byStudy = new(
        Comparer<InstanceFacts>.Create((a, b) =>
        {
            var c = string.CompareOrdinal(a.StudyInstanceUid, b.StudyInstanceUid);
            return c != 0 ? c : scratch.PathOrder(a.Path, b.Path);
        }), InstanceFactsCodec.Spill, scratch.Directory, scratch.FactsInMemory);

    private readonly ExternalSorter<InstanceFacts> _byPatient = new(
        Comparer<InstanceFacts>.Create((a, b) =>
        {
            var c = string.CompareOrdinal(a.PatientId, b.PatientId);
            return c != 0 ? c : scratch.PathOrder(a.Path, b.Path);
        }), InstanceFactsCodec.Spill, scratch.Directory, scratch.FactsInMemory);

    private readonly List<InstanceFacts> _folderMismatches = [];
    private InstanceFacts? _lastByStudy;
    private InstanceFacts? _lastByPatient;

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

        // An instance listed after one that repeats its study and patient (and, for the patient rules, demographics)
        // adds nothing to the rules: it is not sorted. One listed before it might lead its group, so it always is.
        var patientId = facts.PatientId ?? string.Empty;
        if (!string.IsNullOrEmpty(facts.StudyInstanceUid)
            && !(_lastByStudy is { } study && SameStudy(study, facts) && string.Equals(study.PatientId ?? string.Empty, patientId, StringComparison.Ordinal)
                && scratch.PathOrder(study.Path, facts.Path) < 0))
        {
            _byStudy.Add(facts);
            _lastByStudy = facts;
        }

        if (patientId.Length == 0) return;
        if (_lastByPatient is { } last && string.Equals(last.PatientId, patientId, StringComparison.Ordinal) && SameStudyAndDemographics(last, facts)
            && scratch.PathOrder(last.Path, facts.Path) < 0)
        {
            return;
        }

        _byPatient.Add(facts);
        _lastByPatient = facts;
    }

    /// <inheritdoc />
    public void AddGroupKeys(InstanceFacts facts, ICollection<ulong> keys)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(keys);
        if (!facts.Readable) return;
        if (!string.IsNullOrEmpty(facts.StudyInstanceUid)) keys.Add(CollectionKeys.Of('s', facts.StudyInstanceUid));
        if (!string.IsNullOrEmpty(facts.PatientId)) keys.Add(CollectionKeys.Of('p', facts.PatientId));
    }

    /// <inheritdoc />
    public ValueTask CompleteAsync(CollectionContext context, FindingCollector findings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(findings);
        try
        {
            ReportStudies(findings, cancellationToken);

            _folderMismatches.Sort(static (a, b) => string.CompareOrdinal(a.Path, b.Path));
            foreach (var f in _folderMismatches)
            {
                findings.Report(QualityRules.PatientIdFolderMismatch, f, PatientIdPath,
                    f.PatientId is null ? "PatientID is missing; the folder names a pseudonym." : "PatientID differs from the folder's pseudonym.");
            }

            // Sorted by patient, then in the order observed: one instance per study and demographics, then by path.
            var instances = new List<InstanceFacts>();
            foreach (var f in _byPatient.Sorted())
            {
                if (instances.Count > 0 && !string.Equals(instances[0].PatientId, f.PatientId, StringComparison.Ordinal))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    CheckPatient(instances, findings);
                    instances.Clear();
                }

                if (!instances.Exists(seen => SameStudyAndDemographics(seen, f))) instances.Add(f);
            }

            CheckPatient(instances, findings);
        }
        finally
        {
            _byStudy.Dispose();
            _byPatient.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private static bool SameStudy(InstanceFacts a, InstanceFacts b) => string.Equals(a.StudyInstanceUid, b.StudyInstanceUid, StringComparison.Ordinal);

    // One instance per study is enough: the patient rules compare studies, not images.
    private static bool SameStudyAndDemographics(InstanceFacts a, InstanceFacts b) =>
        SameStudy(a, b) && string.Equals(a.PatientSex, b.PatientSex, StringComparison.Ordinal)
        && a.BirthYear == b.BirthYear && a.AgeYears == b.AgeYears && a.StudyDate == b.StudyDate;

    private static void CheckPatient(List<InstanceFacts> instances, FindingCollector findings)
    {
        if (instances.Count == 0) return;
        instances.Sort(static (a, b) => string.CompareOrdinal(a.Path, b.Path));
        CheckSex(instances, findings);
        CheckBirthYear(instances, findings);
    }

    private void ReportStudies(FindingCollector findings, CancellationToken cancellationToken)
    {
        // Sorted by study, then in the order observed: each study's first instance leads its group.
        InstanceFacts? first = null;
        var patients = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in _byStudy.Sorted())
        {
            if (first is not null && !SameStudy(first, f))
            {
                cancellationToken.ThrowIfCancellationRequested();
                ReportStudy(first, patients, findings);
                patients.Clear();
                first = null;
            }

            first ??= f;
            patients.Add(f.PatientId ?? string.Empty);
        }

        if (first is not null) ReportStudy(first, patients, findings);
    }

    private static void ReportStudy(InstanceFacts first, HashSet<string> patients, FindingCollector findings)
    {
        if (patients.Count < 2) return;
        findings.Report(QualityRules.StudyUnderSeveralPatients, first, TagPath.Of(DicomTags.StudyInstanceUID),
            "Study " + first.StudyInstanceUid + " appears under " + patients.Count.ToString(CultureInfo.InvariantCulture) + " different PatientIDs.");
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
}
