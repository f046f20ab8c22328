namespace Nccid.Batch.Hosting;

/// <summary>How the job host runs.</summary>
public sealed record JobHostOptions
{
    /// <summary>The folder of job files, watched for changes.</summary>
    public string JobsFolder { get; init; } = "jobs";

    /// <summary>The state folder: the run history lives in <c>&lt;state&gt;/runs.jsonl</c>.</summary>
    public string StateFolder { get; init; } = "state";

    /// <summary>How long shutdown waits for running jobs before cancelling them.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long the folder must be quiet after a change before jobs are rescheduled.</summary>
    public TimeSpan WatchDebounce { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often the folder is rescanned even without a change event.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How late a fire may be before it counts as missed (then it runs once, now).</summary>
    public TimeSpan MisfireThreshold { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The cluster to join (Quartz's clustered job store in PostgreSQL, shards of releases run by any host), or null for
    /// a host of its own with an in-memory store.
    /// </summary>
    public ClusterOptions? Cluster { get; init; }
}
