namespace Nccid.Batch.Hosting;

/// <summary>What one run of a job did.</summary>
/// <param name="Outcome">succeeded, gate-failed, failed or cancelled (see <see cref="JobRunOutcome"/> constants).</param>
/// <param name="ReleaseId">The release id, when the run built one.</param>
/// <param name="Counts">Rows per table and other counts, by name.</param>
/// <param name="GatePassed">Whether the audit gate passed; null when the run stopped before the gate.</param>
/// <param name="Error">What went wrong, for failed and cancelled runs.</param>
public sealed record JobRunOutcome(string Outcome, string? ReleaseId, IReadOnlyDictionary<string, long> Counts, bool? GatePassed, string? Error)
{
    /// <summary>The run finished and published (or, for an audit, the gate passed).</summary>
    public const string Succeeded = "succeeded";

    /// <summary>The run finished but the audit gate blocked publication.</summary>
    public const string GateFailed = "gate-failed";

    /// <summary>A clustered host handed the release to the cluster as shards; <c>cluster status</c> follows it to publication.</summary>
    public const string Submitted = "submitted";

    /// <summary>The run stopped with an error.</summary>
    public const string Failed = "failed";

    /// <summary>The run was cancelled (host shutdown or interruption).</summary>
    public const string Cancelled = "cancelled";

    /// <summary>A failed outcome carrying <paramref name="error"/>.</summary>
    public static JobRunOutcome Failure(string error) => new(Failed, null, new Dictionary<string, long>(StringComparer.Ordinal), null, error);

    /// <summary>A cancelled outcome.</summary>
    public static JobRunOutcome Cancellation(string why) => new(Cancelled, null, new Dictionary<string, long>(StringComparer.Ordinal), null, why);
}
