using System.Globalization;
using BenchmarkDotNet.Attributes;
using Nccid.Batch.Storage;

namespace Nccid.Batch.Benchmarks.Storage;

/// <summary>
/// What listing a local collection costs per file (name, size and modification time, in the engine's order), warm: the
/// engine's walk against .NET's own recursive enumeration reading the same two facts of every file, on 20,000 empty
/// files six folders deep, either 2,500 to a folder (long CT series, the collection's shape) or 2 to a folder.
/// </summary>
[MemoryDiagnoser]
public class ListingBenchmarks
{
    private const int Files = 20_000;
    private string _root = string.Empty;

    /// <summary>Files per series folder.</summary>
    [Params(2, 2_500)]
    public int FilesPerFolder { get; set; }

    /// <summary>Writes the tree: centre/split/patient/study/series/file.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _root = Directory.CreateTempSubdirectory("nccid-listing-bench-").FullName;
        for (var i = 0; i < Files; i++)
        {
            var series = i / FilesPerFolder;
            var folder = Path.Combine(_root, "centre-a", "training", "P" + (series / 4).ToString("D5", CultureInfo.InvariantCulture),
                "study-" + (series % 4 / 2).ToString(CultureInfo.InvariantCulture), "series-" + (series % 2).ToString(CultureInfo.InvariantCulture));
            if (i % FilesPerFolder == 0) Directory.CreateDirectory(folder);
            File.WriteAllBytes(Path.Combine(folder, i.ToString("D6", CultureInfo.InvariantCulture) + ".dcm"), []);
        }
    }

    /// <summary>Deletes the tree.</summary>
    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_root, recursive: true);

    /// <summary>.NET's recursive enumeration, each file's size and time read (a status by full path per file), unsorted.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Files)]
    public long DotNetEnumeration()
    {
        long sum = 0;
        foreach (var file in new DirectoryInfo(_root).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            sum += file.Length + file.LastWriteTimeUtc.Ticks;
        }

        return sum;
    }

    /// <summary>The engine's walk: every folder sorted, links described, each file's status read relative to its folder.</summary>
    [Benchmark(OperationsPerInvoke = Files)]
    public async Task<long> EngineWalk()
    {
        long sum = 0;
        await foreach (var stored in new LocalFileStore(_root).ListAsync(CancellationToken.None).ConfigureAwait(false))
        {
            sum += stored.Size + stored.ModifiedUtc.Ticks;
        }

        return sum;
    }
}
