namespace Nccid.Batch.Hosting;

/// <summary>One clustered release run as the bookkeeping tables hold it, with its shards counted by state.</summary>
/// <param name="RunId">The run's id.</param>
/// <param name="Job">The job's name.</param>
/// <param name="Staging">The run's shared staging area.</param>
/// <param name="State">running, assembling, published, gate_failed or failed.</param>
/// <param name="ReleaseId">The published release's id, once published.</param>
/// <param name="Host">The host that assembled the release.</param>
/// <param name="SubmittedUtc">When the run was submitted.</param>
/// <param name="EndedUtc">When it ended.</param>
/// <param name="Error">Why it failed.</param>
/// <param name="Shards">Every shard, by number.</param>
public sealed record ClusterRunStatus(string RunId, string Job, string Staging, string State, string? ReleaseId, string? Host, DateTimeOffset SubmittedUtc,
    DateTimeOffset? EndedUtc, string? Error, IReadOnlyList<ClusterShardStatus> Shards)
{
    /// <summary>Shards in <paramref name="state"/>.</summary>
    public int Count(string state) => Shards.Count(s => s.State == state);

    /// <summary>One line for people: the run, its state and its shards done/running/pending/failed.</summary>
    public string Describe()
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var running = Shards.Where(s => s.State == ClusterShardStatus.Running).Select(s => s.Host).Distinct().ToArray();
        var line = string.Create(inv, $"{RunId}  {Job}  {State}  shards: {Count(ClusterShardStatus.Done)} done, {Count(ClusterShardStatus.Running)} running, {Count(ClusterShardStatus.Pending)} pending, {Count(ClusterShardStatus.Failed)} failed of {Shards.Count}");
        if (running.Length > 0) line += " (running on " + string.Join(", ", running) + ")";
        if (ReleaseId is not null) line += "  release " + ReleaseId;
        if (Error is not null) line += "  error: " + Error;
        return line;
    }
}
