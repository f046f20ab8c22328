namespace Nccid.Batch.Hosting;

/// <summary>One shard of a clustered release run.</summary>
/// <param name="Shard">The shard's number.</param>
/// <param name="Centre">Its submitting centre.</param>
/// <param name="Files">Objects listed in it.</param>
/// <param name="State">pending, running, done or failed.</param>
/// <param name="Host">The host that last started it.</param>
/// <param name="Attempts">How often it was started (more than one after its host died or it was re-run).</param>
/// <param name="Error">Why it failed.</param>
public sealed record ClusterShardStatus(int Shard, string Centre, long Files, string State, string? Host, int Attempts, string? Error)
{
    /// <summary>Not started yet.</summary>
    public const string Pending = "pending";

    /// <summary>Started on a host.</summary>
    public const string Running = "running";

    /// <summary>Its part is written.</summary>
    public const string Done = "done";

    /// <summary>It failed (the run fails).</summary>
    public const string Failed = "failed";
}
