using System.Globalization;
using BenchmarkDotNet.Attributes;
using Nccid.Batch.Releases;
using Nccid.Batch.Tables;

namespace Nccid.Batch.Benchmarks.Releases;

/// <summary>
/// What the release join's studies and series cost: 100,000 released instances in path order (per patient two
/// radiographs, each a study of one instance, and a CT study of ten slices in one series) summed into partial rows,
/// sorted through run files once more partials than the sorts hold have come, and merged into the rows.
/// </summary>
[MemoryDiagnoser]
public class StudySeriesAggregationBenchmarks
{
    private const int Instances = 100_000;
    private InstanceSummaryRow[] _rows = [];
    private string _scratch = string.Empty;

    /// <summary>Partial rows each sort holds before it writes a run: the release's own, and few enough that every run spills.</summary>
    [Params(1 << 10, 1 << 14)]
    public int PartialsInMemory { get; set; }

    /// <summary>Builds the instances and a scratch folder.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _scratch = Directory.CreateTempSubdirectory("nccid-join-bench-").FullName;
        var rows = new List<InstanceSummaryRow>(Instances);
        for (var patient = 0; rows.Count < Instances; patient++)
        {
            var id = "P" + patient.ToString("D6", CultureInfo.InvariantCulture);
            for (var cr = 0; cr < 2; cr++) rows.Add(Row(id, $"1.2.826.0.1.{patient}.{cr}", $"1.2.826.0.1.{patient}.{cr}.1", "CR", rows.Count));
            for (var slice = 0; slice < 10; slice++) rows.Add(Row(id, $"1.2.826.0.1.{patient}.9", $"1.2.826.0.1.{patient}.9.1", "CT", rows.Count));
        }

        _rows = [.. rows.Take(Instances)];
    }

    /// <summary>Deletes the scratch folder.</summary>
    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_scratch, recursive: true);

    /// <summary>Every instance added, then every study and series row read.</summary>
    [Benchmark]
    public long AggregateAndRead()
    {
        using var aggregation = new StudySeriesAggregation(_scratch, PartialsInMemory);
        foreach (var row in _rows) aggregation.Add(row, row.PatientId, null, null);
        long instances = 0;
        foreach (var study in aggregation.Studies()) instances += study.InstanceCount;
        foreach (var series in aggregation.Series()) instances += series.InstanceCount;
        return instances;
    }

    private static InstanceSummaryRow Row(string patient, string study, string series, string modality, int n) =>
        new("ct/" + patient + "/" + n.ToString(CultureInfo.InvariantCulture) + ".dcm", "ok", 540_000, DateTime.UnixEpoch, "1.2.3." + n.ToString(CultureInfo.InvariantCulture),
            "1.2.840.10008.5.1.4.1.1.2", study, series, modality, patient, "F", "050Y", new DateOnly(2020, 4, 1), 1, "CHEST", "CT CHEST", "CHEST", null, "SIEMENS", "SOMATOM",
            512, 512, "1.2.840.10008.1.2.1");
}
