using System.CommandLine;
using Nccid.Batch.Audit;
using Nccid.Batch.Index;
using Nccid.Batch.Pipeline;
using Nccid.Batch.Releases;
using Nccid.Batch.Storage;
using Nccid.Batch.Tables;

namespace Nccid.Batch.Cli;

/// <summary>The <c>audit</c> verb: scan and audit in one pass; the exit code says whether the profile's gate passed.</summary>
internal static class AuditCommand
{
    /// <summary>Exit code when the audit ran but a finding blocks the release.</summary>
    public const int GateFailed = 3;

    public static Command Create()
    {
        var source = new Argument<string>("folder") { Description = "The folder of DICOM files to audit (searched recursively), or s3://bucket/prefix." };
        var output = new Option<DirectoryInfo>("--out") { Description = "Output folder for the tables.", Required = true };
        var profile = new Option<string>("--profile") { Description = "Audit profile: 'basic' (default, the strictest), 'nccid', or a JSON profile file.", DefaultValueFactory = _ => "basic" };
        var parallelism = new Option<int>("--parallelism") { Description = "Files read and parsed at once.", DefaultValueFactory = _ => ScanDefaults.Parallelism };
        var include = new Option<string[]>("--include") { Description = "Audit only files whose name matches (e.g. '*.dcm'); repeatable. Others are counted." };
        var noJson = new Option<bool>("--no-header-json") { Description = "Leave the instances table's header_json column empty." };
        var referenceDate = new Option<DateOnly?>("--reference-date") { Description = "The date after which dates count as in the future (default: today, UTC)." };
        var full = new Option<bool>("--full") { Description = "Read every file, ignoring the scan index in <out>/index/ (which is rebuilt)." };
        var command = new Command("audit", "Scan and audit (quality and de-identification) in one pass; exit code 3 when the gate fails. A second run into the same --out reads only new and changed files.")
        {
            source, output, profile, parallelism, include, noJson, referenceDate, full,
        };
        var inventory = new InventoryArguments();
        inventory.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var folder = parseResult.GetValue(source)!;
            if (!StorageLocation.IsS3(folder) && !Directory.Exists(folder))
            {
                await Console.Error.WriteLineAsync($"nccid-batch audit: the folder '{Path.GetFullPath(folder)}' does not exist.").ConfigureAwait(false);
                return 2;
            }

            AuditProfile auditProfile;
            try
            {
                auditProfile = AuditProfileLoader.Load(parseResult.GetValue(profile)!);
            }
            catch (AuditProfileException ex)
            {
                await Console.Error.WriteLineAsync("nccid-batch audit: " + ex.Message).ConfigureAwait(false);
                return 2;
            }

            var options = new ScanOptions { Parallelism = parseResult.GetValue(parallelism), IncludeNames = parseResult.GetValue(include) ?? [] };
            var (inventoryOptions, inventoryProblems) = inventory.Read(parseResult, folder);
            var problems = options.Validate().Concat(inventoryProblems).ToList();
            if (problems.Count > 0)
            {
                foreach (var problem in problems) await Console.Error.WriteLineAsync("nccid-batch audit: " + problem).ConfigureAwait(false);
                return 2;
            }

            var today = parseResult.GetValue(referenceDate) ?? DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);
            var outDir = parseResult.GetValue(output)!.FullName;
            IObjectStore store;
            try
            {
                store = StorageLocation.Open(folder, inventoryOptions, TimeProvider.System);
            }
            catch (ArgumentException ex)
            {
                await Console.Error.WriteLineAsync("nccid-batch audit: " + ex.Message).ConfigureAwait(false);
                return 2;
            }

            using var disposable = store as IDisposable;
            var headerJson = !parseResult.GetValue(noJson);
            var settings = ScanIndexSettings.ForAudit(store, options, headerJson, auditProfile, today);
            // Chunks whose files all came unchanged from the index keep the parts the last audit into this --out wrote, and
            // the collection rules' findings it kept beside its index; the index's segments are the same chunks.
            var partOptions = new ParquetPartOptions();
            var chunks = new PartChunking(ReleaseIndex.ChunkSalt(store, options, headerJson, auditProfile, today, partOptions), parseResult.GetValue(full) ? null : outDir);
            var index = new ScanIndexSession<AuditedInstance>(ScanIndexStore.DirectoryFor(Path.Combine(outDir, "index"), settings), settings,
                new AuditedInstanceCodec(auditProfile), parseResult.GetValue(full)) { Chunking = chunks };
            var codec = new AuditedInstanceCodec(auditProfile);
            var chunking = chunks with
            {
                CollectionStateFile = Path.Combine(outDir, "index", "collection-state.bin"), CollectionStateScope = store.Description,
                ChunkFacts = fingerprint => index.EntriesOf(fingerprint).Select(codec.DecodeFacts),
            };
            AuditSummary summary;
            try
            {
                summary = await ProgressDisplay.RunAsync("Auditing", progress =>
                    AuditScan.RunAsync(store, outDir, auditProfile, options, partOptions, today,
                        headerJson, null, TimeProvider.System, null, progress, cancellationToken, index.RunAsync, chunking)).ConfigureAwait(false);
            }
            catch (InvalidDataException ex)
            {
                await Console.Error.WriteLineAsync("nccid-batch audit: " + ex.Message).ConfigureAwait(false);
                return 1;
            }

            ScanSummaryJson.WriteFile(Path.Combine(outDir, ScanSummaryJson.FileName), summary.Scan);
            Console.WriteLine(summary.Describe());
            if (index.Report is { } report)
            {
                Console.WriteLine((report with
                {
                    TablePartsTakenOver = summary.PartsTakenOver, TableRowsTakenOver = summary.RowsTakenOver,
                    CollectionChunksKept = summary.CollectionChunksKept, CollectionChunksReadBack = summary.CollectionChunksReadBack,
                }).Describe());
            }
            return summary.GatePassed ? 0 : GateFailed;
        });
        return command;
    }
}
