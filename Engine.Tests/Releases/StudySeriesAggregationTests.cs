using System.Globalization;
using Nccid.Batch.Clinical;
using Nccid.Batch.Releases;
using Nccid.Batch.Tables;
using Nccid.Batch.Tests.Tables;

namespace Nccid.Batch.Tests.Releases;

public sealed class StudySeriesAggregationTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Where the sorts write their runs: created by the first run written.</summary>
    private string Scratch => Path.Combine(_temp.Path, "sort");

    /// <summary>
    /// Instances of a few patients whose studies and series come back after others (interleaved, as a path order can
    /// put them), with a series UID shared by two studies, missing UIDs, dates and modalities.
    /// </summary>
    private static List<(InstanceSummaryRow Instance, string? Pseudonym, PatientRecord? Patient)> Instances(int count, int seed)
    {
        var random = new Random(seed);
        var patients = Enumerable.Range(0, 6).Select(p => new PatientRecord
        {
            Pseudonym = "P" + p.ToString(CultureInfo.InvariantCulture), SubmittingCentre = p % 3 == 0 ? null : "C" + (p % 2).ToString(CultureInfo.InvariantCulture),
            Split = p % 2 == 0 ? "training" : "validation",
        }).ToArray();
        string? Pick(string prefix, int n, int nullOneIn) => random.Next(nullOneIn) == 0 ? null : prefix + random.Next(n).ToString(CultureInfo.InvariantCulture);
        var result = new List<(InstanceSummaryRow, string?, PatientRecord?)>();
        while (result.Count < count)
        {
            var study = Pick("1.2.826.0.1.", 30, 12);
            var run = 1 + random.Next(8);
            var series = Pick(study + ".", 3, 10) ?? Pick("1.9.", 2, 2);
            var patientIndex = random.Next(patients.Length + 1);
            var patient = patientIndex < patients.Length ? patients[patientIndex] : null;
            var pseudonym = patient?.Pseudonym ?? Pick("X", 3, 4);
            for (var k = 0; k < run && result.Count < count; k++)
            {
                DateOnly? date = random.Next(5) == 0 ? null : new DateOnly(2020, 1 + random.Next(12), 1 + random.Next(28));
                var instance = new InstanceSummaryRow("f/" + result.Count.ToString("D5", CultureInfo.InvariantCulture), "ok", 100 + random.Next(10_000), DateTime.UnixEpoch,
                    "9." + result.Count.ToString(CultureInfo.InvariantCulture), "1.2.840.10008.5.1.4.1.1.2", study, series, Pick("M", 4, 6), pseudonym, "F", "050Y", date,
                    random.Next(4) == 0 ? null : random.Next(1, 9), Pick("series ", 3, 3), Pick("study ", 3, 3), Pick("CHEST", 2, 3), null, Pick("maker ", 2, 3),
                    Pick("model ", 2, 3), 512, 512, "1.2.840.10008.1.2.1");
                result.Add((instance, pseudonym, patient));
            }
        }

        return result;
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 2)]
    [InlineData(17, 3)]
    [InlineData(int.MaxValue, 4)]
    public void Rows_equal_those_of_every_study_and_series_kept_in_memory_whatever_the_sorts_hold(int partialsInMemory, int seed)
    {
        var instances = Instances(600, seed);
        var (expectedStudies, expectedSeries) = InMemory(instances);

        using var aggregation = new StudySeriesAggregation(Scratch, partialsInMemory);
        foreach (var (i, pseudonym, patient) in instances) aggregation.Add(i, pseudonym, patient?.SubmittingCentre, patient?.Split);
        var studies = aggregation.Studies().Select(Describe).ToArray();
        var series = aggregation.Series().Select(Describe).ToArray();

        Assert.Equal(expectedStudies.Select(Describe).ToArray(), studies);
        Assert.Equal(expectedSeries.Select(Describe).ToArray(), series);
        Assert.True(studies.Length > 20 && series.Length > 20, $"{studies.Length} studies and {series.Length} series");
        Assert.Equal(partialsInMemory < 600, Directory.Exists(Scratch) && Directory.GetFiles(Scratch).Length > 0);
    }

    [Fact]
    public void Instances_cannot_be_added_once_the_rows_have_been_asked_for()
    {
        var instances = Instances(10, 5);
        using var aggregation = new StudySeriesAggregation(Scratch, 4);
        aggregation.Add(instances[0].Instance, instances[0].Pseudonym, instances[0].Patient?.SubmittingCentre, instances[0].Patient?.Split);
        _ = aggregation.Studies().ToArray();

        var second = instances[1];
        Assert.Throws<InvalidOperationException>(() => aggregation.Add(second.Instance, second.Pseudonym, second.Patient?.SubmittingCentre, second.Patient?.Split));
    }

    [Fact]
    public void The_study_tally_counts_months_modalities_and_storage_by_first_modality()
    {
        var instances = Instances(600, 9);
        var (studies, _) = InMemory(instances);
        var tally = new StudyTally();

        Assert.Equal(studies.Count, tally.Counting(studies).Count());

        Assert.Equal(Count(studies.Where(s => s.StudyDate is not null).Select(s => s.StudyDate!.Value.ToString("yyyy-MM", CultureInfo.InvariantCulture))), tally.ByMonth);
        Assert.Equal(Count(studies.SelectMany(s => s.Modalities)), tally.ByModality);
        Assert.Equal(studies.SelectMany(s => s.Modalities.Take(1).Select(m => (m, s.Bytes))).GroupBy(x => x.m, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Sum(x => x.Bytes) / 1_000_000)).OrderBy(x => x.Key, StringComparer.Ordinal).ToArray(), tally.MegabytesByFirstModality);
        Assert.Contains(tally.ByModality, m => m.Count > 1);
    }

    private static (string, long)[] Count(IEnumerable<string> labels) =>
        labels.GroupBy(l => l, StringComparer.Ordinal).Select(g => (g.Key, (long)g.Count())).OrderBy(x => x.Key, StringComparer.Ordinal).ToArray();

    private static string Describe(StudyRow s) => string.Join('|', s.StudyInstanceUid, s.Pseudonym, s.SubmittingCentre, s.Split, s.StudyDate, s.StudyDescription,
        string.Join(',', s.Modalities), s.SeriesCount, s.InstanceCount, s.Bytes);

    private static string Describe(SeriesRow s) => string.Join('|', s.SeriesInstanceUid, s.StudyInstanceUid, s.Pseudonym, s.Modality, s.SeriesNumber, s.SeriesDescription,
        s.BodyPartExamined, s.Manufacturer, s.ManufacturerModelName, s.InstanceCount, s.Bytes);

    /// <summary>The rows as a dictionary of every study and series gives them: a row's first values are its first instance's.</summary>
    private static (List<StudyRow> Studies, List<SeriesRow> Series) InMemory(List<(InstanceSummaryRow Instance, string? Pseudonym, PatientRecord? Patient)> instances)
    {
        var studies = new SortedDictionary<string, (StudyRow Row, SortedSet<string> Modalities, HashSet<string> Series)>(StringComparer.Ordinal);
        var series = new SortedDictionary<string, SeriesRow>(StringComparer.Ordinal);
        foreach (var (i, pseudonym, patient) in instances)
        {
            if (i.StudyInstanceUid is { } studyUid)
            {
                if (!studies.TryGetValue(studyUid, out var study))
                {
                    study = (new StudyRow
                    {
                        StudyInstanceUid = studyUid, Pseudonym = pseudonym, SubmittingCentre = patient?.SubmittingCentre, Split = patient?.Split, StudyDescription = i.StudyDescription,
                    }, new SortedSet<string>(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal));
                    studies[studyUid] = study;
                }

                if (i.StudyDate is { } d && (study.Row.StudyDate is null || d < study.Row.StudyDate)) study.Row.StudyDate = d;
                if (i.Modality is { } m) study.Modalities.Add(m);
                if (i.SeriesInstanceUid is { } s) study.Series.Add(s);
                study.Row.InstanceCount++;
                study.Row.Bytes += i.SizeBytes;
            }

            if (i.SeriesInstanceUid is { } seriesUid)
            {
                if (!series.TryGetValue(seriesUid, out var row))
                {
                    row = new SeriesRow
                    {
                        SeriesInstanceUid = seriesUid, StudyInstanceUid = i.StudyInstanceUid, Pseudonym = pseudonym, Modality = i.Modality, SeriesNumber = i.SeriesNumber,
                        SeriesDescription = i.SeriesDescription, BodyPartExamined = i.BodyPartExamined, Manufacturer = i.Manufacturer, ManufacturerModelName = i.ManufacturerModelName,
                    };
                    series[seriesUid] = row;
                }

                row.InstanceCount++;
                row.Bytes += i.SizeBytes;
            }
        }

        foreach (var (row, modalities, seriesUids) in studies.Values)
        {
            row.Modalities = [.. modalities];
            row.SeriesCount = seriesUids.Count;
        }

        return (studies.Values.Select(s => s.Row).ToList(), series.Values.ToList());
    }
}
