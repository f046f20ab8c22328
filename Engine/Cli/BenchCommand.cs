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
        var patients = new Option<int?>("--patients")
        {
            Description = "Patients to spread --files over, by lengthening the CT series (default: about 12 files per patient; the real collection has about 500).",
        };
        var work = new Option<DirectoryInfo?>("--work") { Description = "Working folder for the corpus and outputs (default: a temporary folder, deleted afterwards)." };
        var parallelism = new Option<int>("--parallelism") { Description = "Files in flight for both measurements.", DefaultValueFactory = _ => ScanDefaults.Parallelism };
        var noJson = new Option<bool>("--no-header-json") { Description = "Scan without the header_json column." };
        var seed = new Option<ulong>("--seed") { Description = "Corpus seed.", DefaultValueFactory = _ => 42 };
        var incremental = new Option<bool>("--incremental")
        {
            Description = "Instead: time a first release, then the next release after adding 1% files (through the scan index), and check it equals a full rebuild.",
        };
        var s3 = new Option<bool>("--s3")
        {
            Description = "Measure an S3 scan instead: full-size radiographs in an S3-compatible server, our scan against plain ranged GETs of 64 KiB.",
        };
        var endpoint = new Option<string?>("--endpoint")
        {
            Description = "With --s3: the S3-compatible endpoint to use (credentials and region from the SDK's standard chain). Without it, s3rver is started from .test-tools/s3rver (scripts/setup.sh installs it).",
        };
        var bucket = new Option<string>("--bucket") { Description = "With --s3: the bucket (created when missing; objects are kept and reused).", DefaultValueFactory = _ => "nccid-bench" };
        var objects = new Option<int>("--objects") { Description = "With --s3: radiographs of about 15 MB to upload and scan.", DefaultValueFactory = _ => 40 };
        var rounds = new Option<int?>("--rounds")
        {
            Description = "Warm rounds, each measurement reporting its best round and the range (default 2); with --s3, measurements of each client, interleaved, medians reported (default 3).",
        };
        var noCold = new Option<bool>("--no-cold") { Description = "Skip the cold measurements (which drop the page cache of the whole machine); with --incremental, every release runs warm." };
        var json = new Option<FileInfo?>("--json") { Description = "Also write the results as JSON to this file." };
        var report = new Option<FileInfo?>("--report") { Description = "With --s3: also write the figures to this JSON file." };
        var command = new Command("bench", "Measure the scan, audit and release against the raw-read limit on a generated corpus (warm, and cold where possible), or with --s3 against plain ranged GETs.")
        {
            files, patients, work, parallelism, noJson, seed, rounds, noCold, json, s3, endpoint, bucket, objects, report, incremental,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if (parseResult.GetValue(s3))
            {
                return await RunS3Async(parseResult.GetValue(endpoint), parseResult.GetValue(bucket)!, parseResult.GetValue(objects), parseResult.GetValue(rounds) ?? 3,
                    parseResult.GetValue(parallelism), !parseResult.GetValue(noJson), parseResult.GetValue(work), parseResult.GetValue(report), cancellationToken).ConfigureAwait(false);
            }

            var target = parseResult.GetValue(files);
            if (target < 10)
            {
                await Console.Error.WriteLineAsync("nccid-batch bench: --files must be at least 10.").ConfigureAwait(false);
                return 2;
            }

            var spread = parseResult.GetValue(patients);
            if (spread is < 1)
            {
                await Console.Error.WriteLineAsync("nccid-batch bench: --patients must be at least 1.").ConfigureAwait(false);
                return 2;
            }

            var given = parseResult.GetValue(work);
            var root = given?.FullName ?? Directory.CreateTempSubdirectory("nccid-bench-").FullName;
            try
            {
                if (parseResult.GetValue(incremental))
                {
                    return await IncrementalBenchmark.RunAsync(root, target, spread, parseResult.GetValue(parallelism), !parseResult.GetValue(noJson), parseResult.GetValue(seed),
                        !parseResult.GetValue(noCold), cancellationToken).ConfigureAwait(false);
                }

                var settings = new BenchSettings(parseResult.GetValue(parallelism), !parseResult.GetValue(noJson), parseResult.GetValue(seed),
                    Math.Max(1, parseResult.GetValue(rounds) ?? 2), !parseResult.GetValue(noCold), parseResult.GetValue(json)?.FullName, spread);
                return await RunAsync(root, target, settings, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                if (given is null) Directory.Delete(root, recursive: true);
            }
        });
        return command;
    }

    private static async Task<int> RunS3Async(string? endpointText, string bucket, int objects, int rounds, int parallelism, bool headerJson, DirectoryInfo? work,
        FileInfo? report, CancellationToken cancellationToken)
    {
        if (objects < 1 || rounds < 1 || parallelism < 1)
        {
            await Console.Error.WriteLineAsync("nccid-batch bench --s3: --objects, --rounds and --parallelism must be at least 1.").ConfigureAwait(false);
            return 2;
        }

        Uri? endpoint = null;
        if (endpointText is not null && (!Uri.TryCreate(endpointText, UriKind.Absolute, out endpoint) || endpoint.Scheme is not ("http" or "https")))
        {
            await Console.Error.WriteLineAsync($"nccid-batch bench --s3: --endpoint '{endpointText}' is not an absolute http or https URL.").ConfigureAwait(false);
            return 2;
        }

        LocalS3Server? server = null;
        if (endpoint is null)
        {
            var script = LocalS3Server.FindScript();
            if (script is null)
            {
                await Console.Error.WriteLineAsync("""
                    nccid-batch bench --s3: no --endpoint given and s3rver is not installed. Either
                      run scripts/setup.sh (installs s3rver into .test-tools/s3rver; bench then starts and stops it), or
                      start an S3-compatible server yourself, e.g.
                        NODE_OPTIONS=--openssl-legacy-provider node .test-tools/s3rver/node_modules/s3rver/bin/s3rver.js -d /tmp/s3 -a 127.0.0.1 -p 4568
                      and run: AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_REGION=us-east-1 nccid-batch bench --s3 --endpoint http://127.0.0.1:4568
                    """).ConfigureAwait(false);
                return 2;
            }

            server = await LocalS3Server.StartAsync(script, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"started s3rver ({script}) on {server.Endpoint}");
        }

        var root = work?.FullName ?? Directory.CreateTempSubdirectory("nccid-bench-s3-").FullName;
        try
        {
            var settings = new S3Benchmark.Settings(endpoint ?? server!.Endpoint, server is null ? null : LocalS3Server.Credentials, bucket, objects, parallelism, rounds, headerJson, root);
            await new S3Benchmark(settings, Console.Out).RunAsync(report?.FullName, cancellationToken).ConfigureAwait(false);
            return 0;
        }
        catch (Exception ex) when (ex is Amazon.Runtime.AmazonServiceException or Amazon.Runtime.AmazonClientException or IOException or HttpRequestException)
        {
            // The SDK's messages name hosts, buckets and error codes, never credentials.
            await Console.Error.WriteLineAsync("nccid-batch bench --s3: " + ex.Message).ConfigureAwait(false);
            return 1;
        }
        finally
        {
            server?.Dispose();
            if (work is null) Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<int> RunAsync(string root, int targetFiles, BenchSettings settings, CancellationToken cancellationToken)
    {
        var inv = CultureInfo.InvariantCulture;
        var corpus = Path.Combine(root, "corpus");
        var outputs = Path.Combine(root, "out");
        if (!Directory.Exists(corpus))
        {
            var generated = Stopwatch.GetTimestamp();
            var options = CorpusOptions(targetFiles, settings.Patients, settings.Seed);
            var made = SyntheticCorpusGenerator.Generate(corpus, options, cancellationToken);
            Console.WriteLine(string.Create(inv,
                $"corpus: {made.DicomFiles:N0} DICOM + {made.ClinicalFiles:N0} clinical files {Shape(options)}, {made.BytesWritten / 1e6:N1} MB, generated in {Stopwatch.GetElapsedTime(generated).TotalSeconds:N1} s in {corpus}"));
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

    /// <summary>
    /// A benchmark corpus without defects, so every file is a header to parse: about twelve files per patient (most of
    /// them CT slices), or <paramref name="targetFiles"/> spread over <paramref name="patients"/> by longer CT series.
    /// </summary>
    internal static SyntheticCorpusOptions CorpusOptions(int targetFiles, int? patients, ulong seed)
    {
        var options = new SyntheticCorpusOptions { Patients = Math.Max(1, targetFiles / 12), Seed = seed }.WithAllDefectRates(0);
        return patients is { } spread ? options.WithImageFiles(targetFiles, spread) : options;
    }

    /// <summary>"of N patients (CT series of A to B slices)", for the line that reports a generated corpus.</summary>
    internal static string Shape(SyntheticCorpusOptions options) =>
        string.Create(CultureInfo.InvariantCulture, $"of {options.Patients:N0} patients (CT series of {options.CtSlicesMin} to {options.CtSlicesMax} slices)");

    private sealed record BenchSettings(int Parallelism, bool HeaderJson, ulong Seed, int Rounds, bool Cold, string? JsonPath, int? Patients);
}
