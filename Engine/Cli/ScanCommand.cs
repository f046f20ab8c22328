using System.CommandLine;
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
        var rowGroup = new Option<int>("--row-group-size") { Description = "Rows per Parquet row group.", DefaultValueFactory = _ => 100_000 };
        var noJson = new Option<bool>("--no-header-json") { Description = "Leave the header_json column empty (smaller, faster)." };
        var include = new Option<string[]>("--include")
        {
            Description = "Scan only files whose name matches this pattern (e.g. '*.dcm'); repeatable. Others are counted, not scanned.",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("scan", "Scan DICOM headers (never pixel data) into the instances table.") { source, output, parallelism, rowGroup, noJson, include };
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
            ScanSummary summary;
            try
            {
                summary = await ProgressDisplay.RunAsync("Scanning", progress =>
                    InstanceScan.RunAsync(store, outDir.FullName, options, partOptions,
                        !parseResult.GetValue(noJson), TimeProvider.System, progress, cancellationToken)).ConfigureAwait(false);
            }
            catch (InvalidDataException ex)
            {
                await Console.Error.WriteLineAsync("nccid-batch scan: " + ex.Message).ConfigureAwait(false);
                return 1;
            }

            ScanSummaryJson.WriteFile(Path.Combine(outDir.FullName, ScanSummaryJson.FileName), summary);
            Console.WriteLine(summary.Describe());
            return 0;
        });
        return command;
    }
}
