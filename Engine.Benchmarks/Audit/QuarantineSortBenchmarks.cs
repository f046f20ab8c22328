using System.Globalization;
using BenchmarkDotNet.Attributes;
using Nccid.Batch.Audit;
using Nccid.Batch.Storage;

namespace Nccid.Batch.Benchmarks.Audit;

/// <summary>
/// What the audit's quarantine costs when many files are quarantined: 100,000 quarantining findings (two for each of
/// 50,000 files, as they come in path order from the scan) sorted by path through run files, grouped into one row a
/// path, and the paths kept as hashes for the join, which then looks up every one of them.
/// </summary>
[MemoryDiagnoser]
public class QuarantineSortBenchmarks
{
    private const int Files = 50_000;
    private QuarantineMark[] _marks = [];
    private string _scratch = string.Empty;

    /// <summary>Marks each sort holds before it writes a run: the audit's own, and few enough that every run spills.</summary>
    [Params(1 << 10, 1 << 14)]
    public int MarksInMemory { get; set; }

    /// <summary>Builds the findings and a scratch folder.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _scratch = Directory.CreateTempSubdirectory("nccid-quarantine-bench-").FullName;
        var marks = new List<QuarantineMark>(2 * Files);
        for (var f = 0; f < Files; f++)
        {
            var path = "ct/P" + (f / 12).ToString("D6", CultureInfo.InvariantCulture) + "/1.2.826.0.1." + f.ToString(CultureInfo.InvariantCulture) + ".dcm";
            var sop = "1.2.826.0.1." + f.ToString(CultureInfo.InvariantCulture);
            marks.Add(new QuarantineMark(path, sop, "D-PN-001", Severity.Error, "RXA"));
            marks.Add(new QuarantineMark(path, sop, "Q-SERIES-002", Severity.Warning, "RXA"));
        }

        _marks = [.. marks];
    }

    /// <summary>Deletes the scratch folder.</summary>
    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_scratch, recursive: true);

    /// <summary>Every mark sorted and grouped by path, each path kept as a hash, then every path looked up.</summary>
    [Benchmark]
    public int SortGroupAndLookUp()
    {
        using var sorter = new ExternalSorter<QuarantineMark>(QuarantineMark.ByPath, QuarantineMark.Codec, _scratch, MarksInMemory);
        foreach (var mark in _marks) sorter.Add(mark);
        var paths = new PathSet();
        string? last = null;
        foreach (var mark in sorter.Sorted())
        {
            if (string.Equals(mark.Path, last, StringComparison.Ordinal)) continue;
            last = mark.Path;
            paths.Add(mark.Path);
        }

        var found = 0;
        foreach (var mark in _marks)
        {
            if (paths.Contains(mark.Path)) found++;
        }

        return found;
    }
}
