using System.Security.Cryptography;
using System.Text.Json;
using Nccid.Batch.Audit;
using Nccid.Batch.Pipeline;
using Nccid.Batch.Releases;
using Nccid.Batch.Storage;
using Nccid.Batch.Tables;

namespace Nccid.Batch.Hosting;

/// <summary>
/// Runs jobs with the engine: <c>release</c> builds and publishes a release, <c>audit</c> and <c>scan</c> audit the source
/// into <c>&lt;output&gt;/audits/&lt;yyyy-MM-dd&gt;</c> with the job's profile.
/// </summary>
public sealed class EngineJobRunner : IJobRunner
{
    private readonly TimeProvider _time;
    private readonly string _engineVersion;

    /// <summary>Creates the runner.</summary>
    /// <param name="time">The clock: the run's date and the manifest's time.</param>
    /// <param name="engineVersion">Recorded in manifests.</param>
    public EngineJobRunner(TimeProvider time, string engineVersion)
    {
        _time = time;
        _engineVersion = engineVersion;
    }

    /// <inheritdoc/>
    public async Task<JobRunOutcome> RunAsync(ReleaseJob job, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(job);
        var now = _time.GetUtcNow();
        var date = DateOnly.FromDateTime(now.UtcDateTime);
        try
        {
            if (job.Kind == "release")
            {
                var result = await ReleaseBuilder.RunAsync(job, Hash(job), date, now, _engineVersion, _time, null, ct).ConfigureAwait(false);
                var counts = new SortedDictionary<string, long>(result.TableRows.ToDictionary(kv => kv.Key, kv => kv.Value), StringComparer.Ordinal)
                {
                    ["patients"] = result.Patients,
                    ["orphans"] = result.Orphans,
                    ["blocking_findings"] = result.Audit.BlockingFindings,
                    ["quarantined"] = result.Audit.Quarantined,
                };
                return new JobRunOutcome(result.Published ? JobRunOutcome.Succeeded : JobRunOutcome.GateFailed, result.ReleaseId, counts, result.Audit.GatePassed, null);
            }

            var profile = AuditProfileLoader.Load(job.AuditProfile);
            var options = job.Parallelism > 0
                ? new ScanOptions { Parallelism = job.Parallelism, IncludeNames = job.Include.ToArray() }
                : new ScanOptions { IncludeNames = job.Include.ToArray() };
            var output = Path.Combine(job.Output, "audits", date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            var store = StorageLocation.Open(job.Source, job.Inventory?.ToOptions(), _time);
            using var disposable = store as IDisposable;
            var summary = await AuditScan.RunAsync(store, output, profile, options, new ParquetPartOptions(), date,
                job.HeaderJson, null, _time, null, null, ct).ConfigureAwait(false);
            ScanSummaryJson.WriteFile(Path.Combine(output, ScanSummaryJson.FileName), summary.Scan);
            var auditCounts = new SortedDictionary<string, long>(StringComparer.Ordinal)
            {
                ["blocking_findings"] = summary.BlockingFindings,
                ["quarantined"] = summary.Quarantined,
            };
            return new JobRunOutcome(summary.GatePassed ? JobRunOutcome.Succeeded : JobRunOutcome.GateFailed, null, auditCounts, summary.GatePassed, null);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return JobRunOutcome.Cancellation("the run was cancelled; nothing was published.");
        }
        catch (Exception ex) when (ex is AuditProfileException or SplitConflictException or IOException or UnauthorizedAccessException or InvalidDataException or ReleaseCheckException or JobFileException)
        {
            return JobRunOutcome.Failure(ex.GetType().Name + ": " + ex.Message);
        }
    }

    /// <summary>SHA-256 of the job as run (its canonical JSON), for the manifest.</summary>
    private static string Hash(ReleaseJob job) => Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(job)));
}
