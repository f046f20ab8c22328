using System.Globalization;
using Nccid.Batch.Audit;
using Nccid.Batch.Dicom;
using Nccid.Batch.Tables;
using Parquet;
using Parquet.Schema;

namespace Nccid.Batch.Releases;

/// <summary>
/// The checks a staged release must pass before it is verified and published, beyond the audit gate: the job's
/// read-error policy and the <see cref="PhiGuard"/>. A failed check throws <see cref="ReleaseCheckException"/>.
/// </summary>
public static class ReleaseChecks
{
    /// <summary>How many unreadable objects a failure names; the count says how many there are.</summary>
    private const int Examples = 5;

    /// <summary>Runs every check on the release staged in <paramref name="staging"/>.</summary>
    /// <param name="staging">The staged release.</param>
    /// <param name="job">Its job.</param>
    /// <param name="profile">Its audit profile.</param>
    /// <param name="scan">Its scan's summary.</param>
    /// <param name="cancellationToken">Stops the checks.</param>
    /// <param name="guardCache">The <see cref="PhiGuard"/>'s cache of what each part holds (null: none).</param>
    /// <param name="partSha256">The SHA-256 of parts already hashed, by path relative to the release ("table/part-00000.parquet"); others are hashed.</param>
    /// <exception cref="ReleaseCheckException">A check failed; the message says what, where and what to do.</exception>
    public static async Task RunAsync(string staging, ReleaseJob job, AuditProfile profile, ScanSummary scan, CancellationToken cancellationToken, string? guardCache = null,
        IReadOnlyDictionary<string, string>? partSha256 = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(scan);
        var unreadable = scan.ErrorsByKind.GetValueOrDefault(DicomErrorKind.Unreadable);
        if (job.OnReadError == "fail" && unreadable > 0)
        {
            var examples = await UnreadableAsync(Path.Combine(staging, InstancesTable.Name), cancellationToken).ConfigureAwait(false);
            throw new ReleaseCheckException(string.Create(CultureInfo.InvariantCulture,
                $"{unreadable} of {scan.Files} objects of {scan.Source} could not be read, and the job's $.onReadError is 'fail'; nothing was published. ")
                + string.Join(" ", examples.Select(e => e + ".")) + (unreadable > examples.Count ? " …" : string.Empty)
                + " Run the release again once the store is readable, or set $.onReadError to 'errorRow' to release them as error rows.");
        }

        var identifying = await PhiGuard.CheckAsync(staging, profile, job.AllowAttributes.ToHashSet(StringComparer.Ordinal), cancellationToken, guardCache, partSha256).ConfigureAwait(false);
        if (identifying.Count > 0)
        {
            throw new ReleaseCheckException("The release would carry attributes its audit profile requires removing; nothing was published. "
                + string.Join(" ", identifying)
                + " Remove them at the source, switch on the audit rules that withhold them, or, if the release may carry them, list their keywords in the job's $.allowAttributes.");
        }
    }

    /// <summary>The first unreadable objects, as "path: reason".</summary>
    private static async Task<List<string>> UnreadableAsync(string tableFolder, CancellationToken cancellationToken)
    {
        var found = new List<string>();
        var parts = Directory.GetFiles(tableFolder, "*.parquet");
        Array.Sort(parts, StringComparer.Ordinal);
        foreach (var part in parts)
        {
            await using var stream = File.OpenRead(part);
            await using var reader = await ParquetReader.CreateAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            // Top-level columns only: list columns hold data fields named "element" too.
            var fields = reader.Schema.GetDataFields().Where(f => f.Path.Length == 1).ToDictionary(f => f.Name, StringComparer.Ordinal);
            for (var g = 0; g < reader.RowGroupCount && found.Count < Examples; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                var n = checked((int)group.RowCount);
                var paths = new string?[n];
                var errors = new string?[n];
                await group.ReadAsync(fields["path"], paths.AsMemory(), null, cancellationToken).ConfigureAwait(false);
                await group.ReadAsync(fields["error"], errors.AsMemory(), null, cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < n && found.Count < Examples; i++)
                {
                    if (errors[i] is { } error && error.StartsWith(nameof(DicomErrorKind.Unreadable), StringComparison.Ordinal)) found.Add(paths[i] + ": " + error);
                }
            }

            if (found.Count >= Examples) break;
        }

        return found;
    }
}
