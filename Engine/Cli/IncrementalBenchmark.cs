using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Nccid.Batch.Releases;
using Nccid.Batch.Synthetic;

namespace Nccid.Batch.Cli;

/// <summary>
/// <c>bench --incremental</c>: a first release of a synthetic corpus, then 1% more files and the next release (which
/// reads only those through the scan index), then a full rebuild of the same files; prints the incremental release's
/// time as a share of the first's and checks that its tables equal the rebuild's byte for byte.
/// </summary>
internal static class IncrementalBenchmark
{
    private static readonly DateOnly ReleaseDate = new(2026, 1, 1);

    public static async Task<int> RunAsync(string root, int targetFiles, int parallelism, bool headerJson, ulong seed, CancellationToken cancellationToken)
    {
        var inv = CultureInfo.InvariantCulture;
        var corpus = Path.Combine(root, "incremental", "corpus");
        var extra = Path.Combine(root, "incremental", "extra");
        var output = Path.Combine(root, "incremental", "out");
        var added = Path.Combine(corpus, "added");
        var patients = Math.Max(1, targetFiles / 12);
        if (!Directory.Exists(corpus))
        {
            var generated = Stopwatch.GetTimestamp();
            var made = SyntheticCorpusGenerator.Generate(corpus, new SyntheticCorpusOptions { Patients = patients, Seed = seed }.WithAllDefectRates(0), cancellationToken);
            Console.WriteLine(string.Create(inv, $"corpus: {made.DicomFiles:N0} DICOM files, generated in {Stopwatch.GetElapsedTime(generated).TotalSeconds:N1} s in {corpus}"));
        }

        if (!Directory.Exists(extra))
        {
            // About 1% more files, from other patients: what arrives between two releases.
            SyntheticCorpusGenerator.Generate(extra, new SyntheticCorpusOptions { Patients = Math.Max(2, patients / 50), Seed = seed + 1_000_003 }.WithAllDefectRates(0), cancellationToken);
        }

        if (Directory.Exists(added)) Directory.Delete(added, recursive: true);
        if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        var job = new ReleaseJob { Name = "bench", Source = corpus, Output = output, Parallelism = parallelism, HeaderJson = headerJson };
        Console.WriteLine(string.Create(inv, $"parallelism {parallelism}, {Environment.ProcessorCount} cores, header_json {(headerJson ? "on" : "off")}"));

        var (first, firstTime) = await ReleaseAsync(job, false, cancellationToken).ConfigureAwait(false);
        Report("first release (no index)", first, firstTime, firstTime);

        var copied = 0;
        var wanted = Math.Max(1, Counts(first)["dicom_files"] / 100);
        foreach (var file in Directory.GetFiles(extra, "*.dcm", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Take((int)wanted))
        {
            var target = Path.Combine(added, Path.GetRelativePath(extra, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            copied++;
        }

        Console.WriteLine(string.Create(inv, $"added {copied:N0} files ({copied * 100.0 / Math.Max(1, Counts(first)["dicom_files"]):N2} %)"));
        var (next, nextTime) = await ReleaseAsync(job, false, cancellationToken).ConfigureAwait(false);
        Report("next release (incremental)", next, nextTime, firstTime);
        var (rebuilt, rebuiltTime) = await ReleaseAsync(job, true, cancellationToken).ConfigureAwait(false);
        Report("same files, full rebuild (--full)", rebuilt, rebuiltTime, firstTime);
        Console.WriteLine(string.Create(inv, $"incremental / first release = {nextTime / firstTime:P1}; incremental / full rebuild of the same files = {nextTime / rebuiltTime:P1}"));

        var differences = Differences(next.Directory!, rebuilt.Directory!);
        Console.WriteLine(differences.Count == 0 ? "tables: the incremental release's tables equal the full rebuild's, byte for byte" : "tables DIFFER: " + string.Join(", ", differences));
        using var self = Process.GetCurrentProcess();
        Console.WriteLine(string.Create(inv, $"peak working set {self.PeakWorkingSet64 / 1048576.0:N0} MiB"));
        return differences.Count == 0 ? 0 : 1;
    }

    private static async Task<(ReleaseResult Result, TimeSpan Elapsed)> ReleaseAsync(ReleaseJob job, bool full, CancellationToken cancellationToken)
    {
        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        var result = await ReleaseBuilder.RunAsync(job, "bench", ReleaseDate, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), ReleaseCommand.EngineVersion,
            TimeProvider.System, null, cancellationToken, fullScan: full).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);
        self.Refresh();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  CPU time {(self.TotalProcessorTime - cpu).TotalSeconds:N2} s (user + system, all threads)"));
        if (!result.Published) throw new InvalidOperationException("The benchmark's release did not pass its gate; it has no defects, so this is a bug.");
        return (result, elapsed);
    }

    private static Dictionary<string, long> Counts(ReleaseResult release)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(release.Directory!, ReleaseManifest.FileName)));
        return manifest.RootElement.GetProperty("inputs").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64(), StringComparer.Ordinal);
    }

    private static void Report(string label, ReleaseResult release, TimeSpan elapsed, TimeSpan first)
    {
        var c = Counts(release);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label,-34} {c["dicom_files"],9:N0} files {elapsed.TotalSeconds,8:N2} s ({elapsed / first,7:P1} of the first): index reused {c["index_reused"]:N0}, new {c["index_parsed_new"]:N0}, changed {c["index_parsed_changed"]:N0}, re-read {c["index_reparsed"]:N0}, deleted {c["index_deleted"]:N0}"));
    }

    private static List<string> Differences(string a, string b)
    {
        var differences = new List<string>();
        foreach (var (name, _) in ReleaseTables.All)
        {
            var left = Directory.GetFiles(Path.Combine(a, name)).Order(StringComparer.Ordinal).ToArray();
            var right = Directory.GetFiles(Path.Combine(b, name)).Order(StringComparer.Ordinal).ToArray();
            if (!left.Select(Path.GetFileName).SequenceEqual(right.Select(Path.GetFileName)))
            {
                differences.Add(name + " (part files)");
                continue;
            }

            for (var i = 0; i < left.Length; i++)
            {
                if (!File.ReadAllBytes(left[i]).AsSpan().SequenceEqual(File.ReadAllBytes(right[i]))) differences.Add(name + "/" + Path.GetFileName(left[i]));
            }
        }

        return differences;
    }
}
