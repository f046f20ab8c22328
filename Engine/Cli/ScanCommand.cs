using System.CommandLine;
using Nccid.Batch.Index;
using Nccid.Batch.Pipeline;
using Nccid.Batch.Storage;
using Nccid.Batch.Tables;

namespace Nccid.Batch.Cli;

/// <summary>The <c>scan</c> verb: one row per stored file into <c>&lt;out&gt;/instances/*.parquet</c>.</summary>
internal static class ScanCommand
{
    public static Command Create()
    {
        var source = new Argument<string>("folder") { Description = "The folder of DICOM files to scan (searched recursively), or s3://bucket/prefix." };
        var output = new Option<DirectoryInfo>("--out") { Description = "Output folder; the table is written to <out>/instances/.", Required = true };
        var parallelism = new Option<int>("--parallelism") { Description = "Files read and parsed at once (default: 4 per core).", DefaultValueFactory = _ => ScanDefaults.Parallelism };
        var rowGroup = new Option<int>("--row-group-size") { Description = "Rows per Parquet row group.", DefaultValueFactory = _ => ParquetPartOptions.DefaultRowGroupSize };
        var noJson = new Option<bool>("--no-header-json") { Description = "Leave the header_json column empty (smaller, faster)." };
        var include = new Option<string[]>("--include")
        {
            Description = "Scan only files whose name matches this pattern (e.g. '*.dcm'); repeatable. Others are counted, not scanned.",
            AllowMultipleArgumentsPerToken = false,
        };
        var full = new Option<bool>("--full") { Description = "Read every file, ignoring the scan index in <out>/index/ (which is rebuilt)." };
        var command = new Command("scan", "Scan DICOM headers (never pixel data) into the instances table; a second run into the same --out reads only new and changed files.")
        {
            source, output, parallelism, rowGroup, noJson, include, full,
        };
        var inventory = new InventoryArguments();
        inventory.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var folder = parseResult.GetValue(source)!;
            var outDir = parseResult.GetValue(output)!;
            if (!StorageLocation.IsS3(folder) && !Directory.Exists(folder))
            {
                await Console.Error.WriteLineAsync($"nccid-batch scan: the folder '{Path.GetFullPath(folder)}' does not exist.").ConfigureAwait(false);
                return 2;
            }

            var options = new ScanOptions { Parallelism = parseResult.GetValue(parallelism), IncludeNames = parseResult.GetValue(include) ?? [] };
            var partOptions = new ParquetPartOptions { RowGroupSize = parseResult.GetValue(rowGroup) };
            var (inventoryOptions, inventoryProblems) = inventory.Read(parseResult, folder);
            var problems = options.Validate().Concat(partOptions.Validate()).Concat(inventoryProblems).ToList();
            if (problems.Count > 0)
            {
                foreach (var problem in problems) await Console.Error.WriteLineAsync("nccid-batch scan: " + problem).ConfigureAwait(false);
                return 2;
            }

            IObjectStore store;
            try
            {
                store = StorageLocation.Open(folder, inventoryOptions, TimeProvider.System);
            }
            catch (ArgumentException ex)
            {
                await Console.Error.WriteLineAsync("nccid-batch scan: " + ex.Message).ConfigureAwait(false);
                return 2;
            }

            using var disposable = store as IDisposable;
            var headerJson = !parseResult.GetValue(noJson);
            var settings = ScanIndexSettings.ForScan(store, options, headerJson);
            var index = new ScanIndexSession<InstanceRow>(ScanIndexStore.DirectoryFor(Path.Combine(outDir.FullName, "index"), settings), settings,
                new InstanceRowCodec(), parseResult.GetValue(full));
            ScanSummary summary;
            try
            {
                summary = await ProgressDisplay.RunAsync("Scanning", progress =>
                    InstanceScan.RunAsync(store, outDir.FullName, options, partOptions,
                        headerJson, TimeProvider.System, progress, cancellationToken, index.RunAsync)).ConfigureAwait(false);
            }
            catch (InvalidDataException ex)
            {
                await Console.Error.WriteLineAsync("nccid-batch scan: " + ex.Message).ConfigureAwait(false);
                return 1;
            }

            ScanSummaryJson.WriteFile(Path.Combine(outDir.FullName, ScanSummaryJson.FileName), summary);
            Console.WriteLine(summary.Describe());
            if (index.Report is { } report) Console.WriteLine(report.Describe());
            return 0;
        });
        return command;
    }
}
