using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Nccid.Batch.Releases;
using Nccid.Batch.Synthetic;

namespace Nccid.Batch.Cli;

/// <summary>
/// <c>bench --incremental</c>: a first release of a synthetic corpus, then twice 1% more files and the next release
/// (which reads only those through the scan index; the first of the two warms up), then a full rebuild of the same
/// files; prints the incremental release's wall and CPU time as a share of the first's and of the rebuild's, and
/// checks that its tables equal the rebuild's byte for byte. Then the same again with each release a new process (a
/// third 1%, and a full rebuild), which also compiles the code it runs.
/// </summary>
internal static class IncrementalBenchmark
{
    private static readonly DateOnly ReleaseDate = new(2026, 1, 1);

    public static async Task<int> RunAsync(string root, int targetFiles, int? patientCount, int parallelism, bool headerJson, ulong seed, bool cold, CancellationToken cancellationToken)
    {
        var inv = CultureInfo.InvariantCulture;
        var corpus = Path.Combine(root, "incremental", "corpus");
        var extra = Path.Combine(root, "incremental", "extra");
        var output = Path.Combine(root, "incremental", "out");
        var added = Path.Combine(corpus, "added");
        var options = BenchCommand.CorpusOptions(targetFiles, patientCount, seed);
        if (!Directory.Exists(corpus))
        {
            var generated = Stopwatch.GetTimestamp();
            var made = SyntheticCorpusGenerator.Generate(corpus, options, cancellationToken);
            Console.WriteLine(string.Create(inv,
                $"corpus: {made.DicomFiles:N0} DICOM files {BenchCommand.Shape(options)}, generated in {Stopwatch.GetElapsedTime(generated).TotalSeconds:N1} s in {corpus}"));
        }

        if (!Directory.Exists(extra))
        {
            // About 3% more files, from other patients: two batches of 1% arrive between releases. At least 20 patients,
            // so that long CT series (one study in ten) are among them.
            SyntheticCorpusGenerator.Generate(extra, options with { Patients = Math.Max(20, options.Patients / 30), Seed = seed + 1_000_003 }, cancellationToken);
        }

        if (Directory.Exists(added)) Directory.Delete(added, recursive: true);
        if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        var job = new ReleaseJob { Name = "bench", Source = corpus, Output = output, Parallelism = parallelism, HeaderJson = headerJson };
        Console.WriteLine(string.Create(inv, $"parallelism {parallelism}, {Environment.ProcessorCount} cores, header_json {(headerJson ? "on" : "off")}, {(cold ? "page cache dropped before each release where allowed" : "warm (--no-cold)")}"));

        var (first, firstTime) = await ReleaseAsync(job, false, cold, cancellationToken).ConfigureAwait(false);
        Report("first release (no index)", first, firstTime, firstTime);

        // The first incremental release also compiles the index's code paths (decoding, the merge); the second, after
        // another 1%, is the one measured, so that it and the full rebuild after it both run warm.
        var extraFiles = Directory.GetFiles(extra, "*.dcm", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        var wanted = (int)Math.Max(1, Counts(first)["dicom_files"] / 100);
        Add(extraFiles.Take(wanted), extra, added, "first 1%", Counts(first)["dicom_files"]);
        var (warmup, warmupTime) = await ReleaseAsync(job, false, cold, cancellationToken).ConfigureAwait(false);
        Report("next release (incremental, warm-up)", warmup, warmupTime, firstTime);
        Add(extraFiles.Skip(wanted).Take(wanted), extra, added, "another 1%", Counts(warmup)["dicom_files"]);
        var (next, nextTime) = await ReleaseAsync(job, false, cold, cancellationToken).ConfigureAwait(false);
        Report("next release (incremental)", next, nextTime, firstTime);
        var (rebuilt, rebuiltTime) = await ReleaseAsync(job, true, cold, cancellationToken).ConfigureAwait(false);
        Report("same files, full rebuild (--full)", rebuilt, rebuiltTime, firstTime);
        Console.WriteLine(string.Create(inv, $"wall time: incremental / first release = {nextTime / firstTime:P1}; incremental / full rebuild of the same files = {nextTime / rebuiltTime:P1}"));
        Console.WriteLine(string.Create(inv, $"CPU time: incremental / first release = {next.Cpu / first.Cpu:P1}; incremental / full rebuild of the same files = {next.Cpu / rebuilt.Cpu:P1}"));

        var differences = Differences(next.Directory, rebuilt.Directory);
        Console.WriteLine(differences.Count == 0 ? "tables: the incremental release's tables equal the full rebuild's, byte for byte" : "tables DIFFER: " + string.Join(", ", differences));

        // A release started as a process of its own, as `nccid-batch release JOB` is, also compiles the code it runs: the
        // last 1% and a full rebuild again, each in a new process of this same build.
        var jobFile = Path.Combine(root, "incremental", "job.json");
        await File.WriteAllTextAsync(jobFile, JsonSerializer.Serialize(new { name = job.Name, kind = "release", source = Path.GetFullPath(corpus), output = Path.GetFullPath(output), parallelism, headerJson }),
            cancellationToken).ConfigureAwait(false);
        Add(extraFiles.Skip(2 * wanted).Take(wanted), extra, added, "a third 1%", Counts(rebuilt)["dicom_files"]);
        var (processNext, processNextTime) = await ReleaseProcessAsync(jobFile, output, false, cold, cancellationToken).ConfigureAwait(false);
        var (processRebuilt, processRebuiltTime) = await ReleaseProcessAsync(jobFile, output, true, cold, cancellationToken).ConfigureAwait(false);
        var processDifferences = Differences(processNext, processRebuilt);
        differences.AddRange(processDifferences);
        Console.WriteLine(string.Create(inv,
            $"as processes of their own: incremental {processNextTime.TotalSeconds:N2} s wall, full rebuild {processRebuiltTime.TotalSeconds:N2} s wall; incremental / full rebuild = {processNextTime / processRebuiltTime:P1}; tables {(processDifferences.Count == 0 ? "equal, byte for byte" : "DIFFER: " + string.Join(", ", processDifferences))}"));
        using var self = Process.GetCurrentProcess();
        Console.WriteLine(string.Create(inv, $"peak working set {self.PeakWorkingSet64 / 1048576.0:N0} MiB"));
        return differences.Count == 0 ? 0 : 1;
    }

    private static async Task<(Timed Result, TimeSpan Elapsed)> ReleaseAsync(ReleaseJob job, bool full, bool dropCache, CancellationToken cancellationToken)
    {
        // Cold, as release N+1 runs days after release N: the page cache is dropped first where the machine allows it
        // (unless --no-cold asked for warm releases).
        var cold = dropCache && EndToEndBenchmark.TryDropPageCache();
        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var collections = GC.CollectionCount(0);
        var started = Stopwatch.GetTimestamp();
        var result = await ReleaseBuilder.RunAsync(job, "bench", ReleaseDate, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), ReleaseCommand.EngineVersion,
            TimeProvider.System, null, cancellationToken, fullScan: full).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        collections = GC.CollectionCount(0) - collections;
        self.Refresh();
        if (!result.Published) throw new InvalidOperationException("The benchmark's release did not pass its gate; it has no defects, so this is a bug.");
        return (new Timed(result.Directory!, self.TotalProcessorTime - cpu, cold, result.Phases, allocated, collections), elapsed);
    }

    /// <summary>Runs <c>release</c> of <paramref name="jobFile"/> as a new process of this build; returns the release's folder and the wall time.</summary>
    private static async Task<(string Directory, TimeSpan Elapsed)> ReleaseProcessAsync(string jobFile, string output, bool full, bool dropCache, CancellationToken cancellationToken)
    {
        if (dropCache) EndToEndBenchmark.TryDropPageCache();
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("The benchmark cannot tell which program runs it.");
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true };
        // Under `dotnet nccid-batch.dll` the host needs the engine's assembly; a published engine is its own host.
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") start.ArgumentList.Add(typeof(IncrementalBenchmark).Assembly.Location);
        foreach (var argument in (string[])["release", jobFile, "--as-of", "2026-01-01T00:00:00Z"]) start.ArgumentList.Add(argument);
        if (full) start.ArgumentList.Add("--full");
        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("The release process did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);
        await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
        if (process.ExitCode != 0) throw new InvalidOperationException($"The release process exited with {process.ExitCode}: {(await stderr.ConfigureAwait(false)).Trim()}");
        var latest = (await File.ReadAllTextAsync(Path.Combine(output, "releases", "LATEST"), cancellationToken).ConfigureAwait(false)).Trim();
        return (Path.Combine(output, "releases", latest), elapsed);
    }

    private static void Add(IEnumerable<string> files, string from, string to, string label, long existing)
    {
        var copied = 0;
        foreach (var file in files)
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            copied++;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"added {copied:N0} files ({label}: {copied * 100.0 / Math.Max(1, existing):N2} % of {existing:N0})"));
    }

    private static Dictionary<string, long> Counts(Timed release)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(release.Directory, ReleaseManifest.FileName)));
        var counts = manifest.RootElement.GetProperty("inputs").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64(), StringComparer.Ordinal);
        var report = ReleaseIndex.ReportPath(Path.GetDirectoryName(release.Directory)!, Path.GetFileName(release.Directory));
        using var index = JsonDocument.Parse(File.ReadAllText(report));
        foreach (var p in index.RootElement.EnumerateObject())
        {
            if (p.Value.ValueKind == JsonValueKind.Number) counts["index_" + p.Name] = p.Value.GetInt64();
        }

        return counts;
    }

    private static void Report(string label, Timed release, TimeSpan elapsed, TimeSpan first)
    {
        var c = Counts(release);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label,-36} {c["dicom_files"],9:N0} files {elapsed.TotalSeconds,8:N2} s wall ({elapsed / first,7:P1} of the first), {release.Cpu.TotalSeconds,7:N2} s CPU, {(release.Cold ? "cold" : "warm")}: index reused {c["index_reused"]:N0}, new {c["index_parsed_new"]:N0}, changed {c["index_parsed_changed"]:N0}, re-read {c["index_reparsed"]:N0}, deleted {c["index_deleted"]:N0}; table parts taken over {c.GetValueOrDefault("index_table_parts_taken_over"):N0}, index segments taken over {c.GetValueOrDefault("index_segments_copied"):N0} ({c.GetValueOrDefault("index_chunks_whole"):N0} whole), rows loaded {c.GetValueOrDefault("index_rows_loaded"):N0}; collection rules: chunks kept {c.GetValueOrDefault("index_collection_chunks_kept"):N0}, read back {c.GetValueOrDefault("index_collection_chunks_read_back"):N0}; join: chunks replayed {c.GetValueOrDefault("index_join_chunks_replayed"):N0}"));
        Console.WriteLine("    phases (s, GC pauses in brackets, MiB allocated in braces): " + string.Join(", ",
            release.Phases.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Name} {p.Seconds:N2} [{p.GcPauseSeconds:N2}] {{{(p.AllocatedBytes is { } bytes ? (bytes / 1048576.0).ToString("N0", CultureInfo.InvariantCulture) : "?")}}}"))));
        // The runtime's count of allocated bytes can stall or go back when the server collector changes its number of heaps.
        Console.WriteLine(release.Allocated > 0
            ? string.Create(CultureInfo.InvariantCulture,
                $"    allocated {release.Allocated / 1048576.0:N1} MiB ({release.Allocated / (double)Math.Max(1, c["dicom_files"]):N0} bytes a file), {release.Collections:N0} collections")
            : string.Create(CultureInfo.InvariantCulture, $"    allocated: not measured (the runtime's count went back), {release.Collections:N0} collections"));
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

    private sealed record Timed(string Directory, TimeSpan Cpu, bool Cold, IReadOnlyList<Pipeline.PhaseTime> Phases, long Allocated, int Collections);
}
