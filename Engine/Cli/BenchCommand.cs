using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Nccid.Batch.Synthetic;

namespace Nccid.Batch.Cli;

/// <summary>
/// The <c>bench</c> verb: generates a synthetic corpus, then times the raw-read limit and the scan in the same
/// run and prints the scan's rate as a ratio of the limit.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var files = new Option<int>("--files") { Description = "Approximate number of files to generate.", DefaultValueFactory = _ => 20_000 };
        var work = new Option<DirectoryInfo?>("--work") { Description = "Working folder for the corpus and outputs (default: a temporary folder, deleted afterwards)." };
        var parallelism = new Option<int>("--parallelism") { Description = "Files in flight for both measurements.", DefaultValueFactory = _ => ScanDefaults.Parallelism };
        var noJson = new Option<bool>("--no-header-json") { Description = "Scan without the header_json column." };
        var seed = new Option<ulong>("--seed") { Description = "Corpus seed.", DefaultValueFactory = _ => 42 };
        var incremental = new Option<bool>("--incremental")
        {
            Description = "Instead: time a first release, then the next release after adding 1% files (through the scan index), and check it equals a full rebuild.",
        };
        var command = new Command("bench", "Measure the scan against the raw-read limit on a generated corpus (warm, and cold where possible).")
        {
            files, work, parallelism, noJson, seed, incremental,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var target = parseResult.GetValue(files);
            if (target < 10)
            {
                await Console.Error.WriteLineAsync("nccid-batch bench: --files must be at least 10.").ConfigureAwait(false);
                return 2;
            }

            var given = parseResult.GetValue(work);
            var root = given?.FullName ?? Directory.CreateTempSubdirectory("nccid-bench-").FullName;
            try
            {
                if (parseResult.GetValue(incremental))
                {
                    return await IncrementalBenchmark.RunAsync(root, target, parseResult.GetValue(parallelism), !parseResult.GetValue(noJson), parseResult.GetValue(seed), cancellationToken).ConfigureAwait(false);
                }

                return await RunAsync(root, target, parseResult.GetValue(parallelism), !parseResult.GetValue(noJson), parseResult.GetValue(seed), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                if (given is null) Directory.Delete(root, recursive: true);
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(string root, int targetFiles, int parallelism, bool headerJson, ulong seed, CancellationToken cancellationToken)
    {
        var inv = CultureInfo.InvariantCulture;
        var corpus = Path.Combine(root, "corpus");
        var outputs = Path.Combine(root, "out");
        if (!Directory.Exists(corpus))
        {
            // About twelve image files per synthetic patient (most are CT slices); no defects, so every file is a header to parse.
            var generated = Stopwatch.GetTimestamp();
            var options = new SyntheticCorpusOptions { Patients = Math.Max(1, targetFiles / 12), Seed = seed }.WithAllDefectRates(0);
            var made = SyntheticCorpusGenerator.Generate(corpus, options, cancellationToken);
            Console.WriteLine(string.Create(inv, $"corpus: {made.DicomFiles:N0} DICOM + {made.ClinicalFiles:N0} clinical files, {made.BytesWritten / 1e6:N1} MB, generated in {Stopwatch.GetElapsedTime(generated).TotalSeconds:N1} s in {corpus}"));
        }

        var bench = new EndToEndBenchmark(corpus, outputs, parallelism, headerJson, Console.Out);
        Console.WriteLine(string.Create(inv, $"parallelism {parallelism}, {Environment.ProcessorCount} cores, header_json {(headerJson ? "on" : "off")}"));

        // Warm: one untimed pass fills the page cache; then the limit and the scan are each timed.
        await bench.RawReadAsync(cancellationToken).ConfigureAwait(false);
        var warmRaw = await bench.RawReadAsync(cancellationToken).ConfigureAwait(false);
        var warmParse = await bench.ParseAsync(cancellationToken).ConfigureAwait(false);
        var warmScan = await bench.ScanAsync(cancellationToken).ConfigureAwait(false);
        var warmAudit = await bench.AuditAsync(cancellationToken).ConfigureAwait(false);
        Report("warm", warmRaw, warmParse, warmScan);
        Console.WriteLine(string.Create(inv,
            $"warm  {warmAudit.Name,-34} {warmAudit.Files,9:N0} files {warmAudit.Elapsed.TotalSeconds,8:N2} s {warmAudit.FilesPerSecond,10:N0} files/s {warmAudit.MegabytesPerSecond,8:N1} MB/s {warmAudit.AllocatedBytes / (double)Math.Max(1, warmAudit.Files),9:N0} B allocated/file"));
        Console.WriteLine(string.Create(inv, $"warm  ratio audit/scan = {warmAudit.FilesPerSecond / warmScan.FilesPerSecond:P1}, audit/raw-read = {warmAudit.FilesPerSecond / warmRaw.FilesPerSecond:P1} (files/s)"));

        if (EndToEndBenchmark.TryDropPageCache())
        {
            var coldRaw = await bench.RawReadAsync(cancellationToken).ConfigureAwait(false);
            EndToEndBenchmark.TryDropPageCache();
            var coldScan = await bench.ScanAsync(cancellationToken).ConfigureAwait(false);
            Report("cold", coldRaw, null, coldScan);
        }
        else
        {
            Console.WriteLine("cold: not measured (this machine does not allow dropping the page cache)");
        }

        using var self = Process.GetCurrentProcess();
        Console.WriteLine(string.Create(inv, $"peak working set {self.PeakWorkingSet64 / 1048576.0:N0} MiB, GC heap now {GC.GetTotalMemory(false) / 1048576.0:N0} MiB"));
        return 0;
    }

    private static void Report(string label, EndToEndBenchmark.Measurement raw, EndToEndBenchmark.Measurement? parse, EndToEndBenchmark.Measurement scan)
    {
        var inv = CultureInfo.InvariantCulture;
        foreach (var m in new[] { raw, parse, scan })
        {
            if (m is null) continue;
            Console.WriteLine(string.Create(inv,
                $"{label,-5} {m.Name,-34} {m.Files,9:N0} files {m.Elapsed.TotalSeconds,8:N2} s {m.FilesPerSecond,10:N0} files/s {m.MegabytesPerSecond,8:N1} MB/s {m.AllocatedBytes / (double)Math.Max(1, m.Files),9:N0} B allocated/file"));
        }

        Console.WriteLine(string.Create(inv, $"{label,-5} ratio scan/raw-read = {scan.FilesPerSecond / raw.FilesPerSecond:P1} (files/s)"));
    }
}
