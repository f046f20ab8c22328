using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Nccid.Batch.Synthetic;

namespace Nccid.Batch.Cli;

/// <summary>
/// The <c>bench</c> verb: generates a synthetic corpus, then times the raw-read limit, the scan, the audit and a
/// full release in the same run and prints each as a ratio of the limit, with its processor time, allocations and
/// peak memory per file.
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
        var rounds = new Option<int>("--rounds") { Description = "Warm rounds; each measurement reports its best round and the range.", DefaultValueFactory = _ => 2 };
        var noCold = new Option<bool>("--no-cold") { Description = "Skip the cold measurements (which drop the page cache of the whole machine)." };
        var json = new Option<FileInfo?>("--json") { Description = "Also write the results as JSON to this file." };
        var command = new Command("bench", "Measure the scan against the raw-read limit on a generated corpus (warm, and cold where possible).")
        {
            files, work, parallelism, noJson, seed, rounds, noCold, json,
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
                var settings = new BenchSettings(parseResult.GetValue(parallelism), !parseResult.GetValue(noJson), parseResult.GetValue(seed),
                    Math.Max(1, parseResult.GetValue(rounds)), !parseResult.GetValue(noCold), parseResult.GetValue(json)?.FullName);
                return await RunAsync(root, target, settings, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                if (given is null) Directory.Delete(root, recursive: true);
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(string root, int targetFiles, BenchSettings settings, CancellationToken cancellationToken)
    {
        var inv = CultureInfo.InvariantCulture;
        var corpus = Path.Combine(root, "corpus");
        var outputs = Path.Combine(root, "out");
        if (!Directory.Exists(corpus))
        {
            // About twelve image files per synthetic patient (most are CT slices); no defects, so every file is a header to parse.
            var generated = Stopwatch.GetTimestamp();
            var options = new SyntheticCorpusOptions { Patients = Math.Max(1, targetFiles / 12), Seed = settings.Seed }.WithAllDefectRates(0);
            var made = SyntheticCorpusGenerator.Generate(corpus, options, cancellationToken);
            Console.WriteLine(string.Create(inv, $"corpus: {made.DicomFiles:N0} DICOM + {made.ClinicalFiles:N0} clinical files, {made.BytesWritten / 1e6:N1} MB, generated in {Stopwatch.GetElapsedTime(generated).TotalSeconds:N1} s in {corpus}"));
        }

        var bench = new EndToEndBenchmark(corpus, outputs, settings.Parallelism, settings.HeaderJson, Console.Out);
        var report = new BenchReport
        {
            StartedUtc = TimeProvider.System.GetUtcNow().ToString("O", inv),
            Cores = Environment.ProcessorCount,
            Parallelism = settings.Parallelism,
            HeaderJson = settings.HeaderJson,
            CorpusFiles = Directory.EnumerateFiles(corpus, "*.dcm", SearchOption.AllDirectories).LongCount(),
            LoadAverageAtStart = BenchReport.ReadLoadAverage(),
        };
        Console.WriteLine(string.Create(inv, $"parallelism {settings.Parallelism}, {Environment.ProcessorCount} cores, header_json {(settings.HeaderJson ? "on" : "off")}, {settings.Rounds} rounds"));

        // Warm: one untimed pass fills the page cache. The rounds interleave the measurements, so a burst of load
        // from other processes spreads over all of them rather than falling on one.
        await bench.RawReadAsync(cancellationToken).ConfigureAwait(false);
        for (var round = 1; round <= settings.Rounds; round++)
        {
            Console.WriteLine(string.Create(inv, $"round {round}: load average {BenchReport.ReadLoadAverage()}"));
            report.WarmPasses.Add(await bench.RawReadAsync(cancellationToken).ConfigureAwait(false));
            report.WarmPasses.Add(await bench.ParseAsync(cancellationToken).ConfigureAwait(false));
            report.WarmPasses.Add(await bench.ScanAsync(cancellationToken).ConfigureAwait(false));
            report.WarmPasses.Add(await bench.AuditAsync(cancellationToken).ConfigureAwait(false));
            report.WarmPasses.Add(await bench.ReleaseAsync(cancellationToken).ConfigureAwait(false));
        }

        if (!settings.Cold)
        {
            Console.WriteLine("cold: not measured (--no-cold)");
        }
        else if (EndToEndBenchmark.TryDropPageCache())
        {
            report.ColdPasses.Add(await bench.RawReadAsync(cancellationToken).ConfigureAwait(false));
            EndToEndBenchmark.TryDropPageCache();
            report.ColdPasses.Add(await bench.ScanAsync(cancellationToken).ConfigureAwait(false));
        }
        else
        {
            Console.WriteLine("cold: not measured (this machine does not allow dropping the page cache)");
        }

        report.LoadAverageAtEnd = BenchReport.ReadLoadAverage();
        report.WriteTable(Console.Out);
        if (settings.JsonPath is { } json)
        {
            await report.WriteJsonAsync(json, cancellationToken).ConfigureAwait(false);
            Console.WriteLine("JSON: " + Path.GetFullPath(json));
        }

        return 0;
    }

    private sealed record BenchSettings(int Parallelism, bool HeaderJson, ulong Seed, int Rounds, bool Cold, string? JsonPath);
}
