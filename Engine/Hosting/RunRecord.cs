namespace Nccid.Batch.Hosting;

/// <summary>One line of the run history (<c>&lt;state&gt;/runs.jsonl</c>): one finished run of one job.</summary>
public sealed record RunRecord
{
    /// <summary>Unique id of the run.</summary>
    public string RunId { get; init; } = string.Empty;

    /// <summary>The job's name.</summary>
    public string Job { get; init; } = string.Empty;

    /// <summary>The job file.</summary>
    public string JobFile { get; init; } = string.Empty;

    /// <summary>What started the run: schedule, misfire, manual.</summary>
    public string Trigger { get; init; } = "schedule";

    /// <summary>When the run started (UTC).</summary>
    public DateTimeOffset StartedUtc { get; init; }

    /// <summary>When the run ended (UTC).</summary>
    public DateTimeOffset EndedUtc { get; init; }

    /// <summary>Attempts made (1 plus retries used).</summary>
    public int Attempts { get; init; } = 1;

    /// <summary>succeeded, gate-failed, failed or cancelled.</summary>
    public string Outcome { get; init; } = string.Empty;

    /// <summary>The release id, when one was built.</summary>
    public string? ReleaseId { get; init; }

    /// <summary>Rows per table and other counts.</summary>
    public IReadOnlyDictionary<string, long> Counts { get; init; } = new Dictionary<string, long>(StringComparer.Ordinal);

    /// <summary>Whether the audit gate passed; null when the run stopped before it.</summary>
    public bool? GatePassed { get; init; }

    /// <summary>What went wrong, for failed and cancelled runs.</summary>
    public string? Error { get; init; }
}
