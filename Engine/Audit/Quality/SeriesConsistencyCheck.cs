using System.Globalization;
using Nccid.Batch.Dicom;
using Nccid.Batch.Storage;

namespace Nccid.Batch.Audit.Quality;

/// <summary>
/// Series rules: one modality and SOP class per series, unique and present Instance Numbers, one frame of
/// reference and orientation, and evenly spaced CT slices. Several files with one SOP Instance UID count once
/// here (duplicates are the release rules' business). The facts are sorted by series through an
/// <see cref="ExternalSorter{T}"/>, so memory holds one series at a time, not every instance. One per run; observes on one thread.
/// </summary>
internal sealed class SeriesConsistencyCheck(double toleranceMm, CollectionScratch scratch) : ICollectionCheck
{
    private const double OrientationTolerance = 1e-4;
    private static readonly string SeriesPath = TagPath.Of(DicomTags.SeriesInstanceUID);

    private static readonly IComparer<InstanceFacts> BySeriesThenPath = Comparer<InstanceFacts>.Create(static (a, b) =>
    {
        var c = string.CompareOrdinal(a.SeriesInstanceUid, b.SeriesInstanceUid);
        return c != 0 ? c : string.CompareOrdinal(a.Path, b.Path);
    });

    private readonly ExternalSorter<InstanceFacts> _bySeries = new(BySeriesThenPath, InstanceFactsCodec.ForSeries, scratch.Directory, scratch.FactsInMemory);

    /// <inheritdoc />
    public IReadOnlyList<AuditRule> Rules { get; } =
    [
        QualityRules.SeriesMixedModalities, QualityRules.SeriesMixedSopClasses, QualityRules.SeriesDuplicateInstanceNumber,
        QualityRules.SeriesMissingInstanceNumber, QualityRules.SeriesUnevenSliceSpacing, QualityRules.SeriesSpacingThicknessMismatch,
        QualityRules.SeriesInconsistentFrameOfReference, QualityRules.SeriesInconsistentOrientation,
    ];

    /// <inheritdoc />
    public void Observe(InstanceFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (!facts.Readable || string.IsNullOrEmpty(facts.SeriesInstanceUid)) return;
        _bySeries.Add(facts);
    }

    /// <inheritdoc />
    public void AddGroupKeys(InstanceFacts facts, ICollection<ulong> keys)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(keys);
        if (facts.Readable && !string.IsNullOrEmpty(facts.SeriesInstanceUid)) keys.Add(CollectionKeys.Of('r', facts.SeriesInstanceUid));
    }

    /// <inheritdoc />
    public ValueTask CompleteAsync(CollectionContext context, FindingCollector findings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(findings);
        try
        {
            // Sorted by series, then path: each series' instances arrive together, in path order.
            var members = new List<InstanceFacts>();
            foreach (var f in _bySeries.Sorted())
            {
                if (members.Count > 0 && !string.Equals(members[0].SeriesInstanceUid, f.SeriesInstanceUid, StringComparison.Ordinal))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    CheckSeries(members[0].SeriesInstanceUid!, Distinct(members), findings);
                    members.Clear();
                }

                members.Add(f);
            }

            if (members.Count > 0) CheckSeries(members[0].SeriesInstanceUid!, Distinct(members), findings);
        }
        finally
        {
            _bySeries.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private void CheckSeries(string uid, List<InstanceFacts> members, FindingCollector findings)
    {
        var first = members[0];
        var modalities = DistinctValues(members, static f => f.Modality);
        if (modalities.Count > 1)
        {
            findings.Report(QualityRules.SeriesMixedModalities, first, SeriesPath,
                "Series " + uid + " mixes modalities " + string.Join(", ", modalities) + ".");
        }

        var classes = DistinctValues(members, static f => f.SopClassUid);
        if (classes.Count > 1)
        {
            findings.Report(QualityRules.SeriesMixedSopClasses, first, SeriesPath,
                "Series " + uid + " mixes SOP classes " + string.Join(", ", classes) + ".");
        }

        CheckInstanceNumbers(uid, members, findings);

        var frames = DistinctValues(members, static f => f.FrameOfReferenceUid);
        if (frames.Count > 1)
        {
            findings.Report(QualityRules.SeriesInconsistentFrameOfReference, first, TagPath.Of(DicomTags.FrameOfReferenceUID),
                "Series " + uid + " has " + frames.Count.ToString(CultureInfo.InvariantCulture) + " Frame of Reference UIDs: " + string.Join(", ", frames) + ".");
        }

        double[]? orientation = null;
        foreach (var f in members)
        {
            if (f.ImageOrientationPatient is not { Length: 6 } o) continue;
            if (orientation is null)
            {
                orientation = o;
            }
            else if (!SameOrientation(orientation, o))
            {
                findings.Report(QualityRules.SeriesInconsistentOrientation, f, TagPath.Of(DicomTags.ImageOrientationPatient),
                    "ImageOrientationPatient differs from the series' first instance in series " + uid + ".");
                break;
            }
        }

        if (IsCt(members)) CheckSliceSpacing(uid, members, findings);
    }

    private static void CheckInstanceNumbers(string uid, List<InstanceFacts> members, FindingCollector findings)
    {
        var seen = new Dictionary<int, string>();
        foreach (var f in members)
        {
            if (f.InstanceNumber is not { } number)
            {
                if (members.Count > 1)
                {
                    findings.Report(QualityRules.SeriesMissingInstanceNumber, f, TagPath.Of(DicomTags.InstanceNumber),
                        "No InstanceNumber in series " + uid + " of " + members.Count.ToString(CultureInfo.InvariantCulture) + " instances.");
                }

                continue;
            }

            if (!seen.TryAdd(number, f.SopInstanceUid ?? f.Path))
            {
                findings.Report(QualityRules.SeriesDuplicateInstanceNumber, f, TagPath.Of(DicomTags.InstanceNumber),
                    "InstanceNumber " + number.ToString(CultureInfo.InvariantCulture) + " is also used by instance " + seen[number] + " of series " + uid + ".");
            }
        }
    }

    private void CheckSliceSpacing(string uid, List<InstanceFacts> members, FindingCollector findings)
    {
        double[]? orientation = null;
        var positions = new List<(double Distance, InstanceFacts Facts)>(members.Count);
        foreach (var f in members)
        {
            if (f.ImageOrientationPatient is not { Length: 6 } o || f.ImagePositionPatient is not { Length: 3 } p) continue;
            orientation ??= o;
            if (!SameOrientation(orientation, o)) return; // reported above; spacing means nothing across orientations
            var nx = (orientation[1] * orientation[5]) - (orientation[2] * orientation[4]);
            var ny = (orientation[2] * orientation[3]) - (orientation[0] * orientation[5]);
            var nz = (orientation[0] * orientation[4]) - (orientation[1] * orientation[3]);
            positions.Add(((p[0] * nx) + (p[1] * ny) + (p[2] * nz), f));
        }

        if (positions.Count < 3) return;
        positions.Sort(static (a, b) =>
        {
            var c = a.Distance.CompareTo(b.Distance);
            return c != 0 ? c : string.CompareOrdinal(a.Facts.Path, b.Facts.Path);
        });
        var gaps = new double[positions.Count - 1];
        for (var i = 0; i < gaps.Length; i++) gaps[i] = positions[i + 1].Distance - positions[i].Distance;
        var sorted = (double[])gaps.Clone();
        Array.Sort(sorted);
        var median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;

        for (var i = 0; i < gaps.Length; i++)
        {
            if (Math.Abs(gaps[i] - median) <= toleranceMm) continue;
            var at = positions[i + 1].Facts;
            findings.Report(QualityRules.SeriesUnevenSliceSpacing, at, TagPath.Of(DicomTags.ImagePositionPatient),
                string.Create(CultureInfo.InvariantCulture,
                    $"Series {uid}: gap of {gaps[i]:0.###} mm before this slice, median {median:0.###} mm (tolerance {toleranceMm:0.###} mm)."));
            break;
        }

        double? thickness = null;
        foreach (var f in members)
        {
            if (f.SliceThickness is { } t)
            {
                thickness = t;
                break;
            }
        }

        if (thickness is { } value && value > 0 && Math.Abs(median - value) > toleranceMm)
        {
            var first = members[0];
            findings.Report(QualityRules.SeriesSpacingThicknessMismatch, first, TagPath.Of(DicomTags.SliceThickness),
                string.Create(CultureInfo.InvariantCulture, $"Series {uid}: median slice spacing {median:0.###} mm, SliceThickness {value:0.###} mm."));
        }
    }

    private static bool IsCt(List<InstanceFacts> members)
    {
        foreach (var f in members)
        {
            if (f.Modality == "CT" || f.SopClassUid == "1.2.840.10008.5.1.4.1.1.2") return true;
        }

        return false;
    }

    private static bool SameOrientation(double[] a, double[] b)
    {
        for (var i = 0; i < 6; i++)
        {
            if (Math.Abs(a[i] - b[i]) > OrientationTolerance) return false;
        }

        return true;
    }

    /// <summary>The members (in path order), each SOP Instance UID once (the first file that carries it).</summary>
    private static List<InstanceFacts> Distinct(List<InstanceFacts> members)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<InstanceFacts>(members.Count);
        foreach (var f in members)
        {
            if (f.SopInstanceUid is null || seen.Add(f.SopInstanceUid)) result.Add(f);
        }

        return result;
    }

    private static List<string> DistinctValues(List<InstanceFacts> members, Func<InstanceFacts, string?> select)
    {
        var values = new List<string>();
        foreach (var f in members)
        {
            var v = select(f);
            if (!string.IsNullOrEmpty(v) && !values.Contains(v)) values.Add(v);
        }

        values.Sort(StringComparer.Ordinal);
        return values;
    }
}
