using Npgsql;

namespace Nccid.Batch.Hosting;

/// <summary>
/// How a host joins a cluster: Quartz's clustered ADO.NET job store in PostgreSQL, and the releases' shared staging area.
/// </summary>
public sealed record ClusterOptions
{
    /// <summary>The environment variable the connection string may come from.</summary>
    public const string ConnectionVariable = "NCCID_CLUSTER_CONNECTION";

    /// <summary>The Quartz scheduler name every host of a cluster shares (the <c>sched_name</c> of the qrtz_ tables).</summary>
    public const string SchedulerName = "nccid-batch";

    /// <summary>The PostgreSQL connection string (Npgsql syntax: <c>Host=...;Database=...;Username=...;Password=...</c>).</summary>
    public required string ConnectionString { get; init; }

    /// <summary>This host's id in the cluster, unique among the hosts (default: machine name and process id).</summary>
    public string InstanceId { get; init; } = Environment.MachineName + "-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>How often the host tells the cluster it is alive; a host silent for this plus <see cref="CheckinMisfireThreshold"/> is taken as dead and its shards re-run elsewhere.</summary>
    public TimeSpan CheckinInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How late a check-in may be before the host counts as dead.</summary>
    public TimeSpan CheckinMisfireThreshold { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Jobs (shards) this host runs at once.</summary>
    public int MaxConcurrentJobs { get; init; } = 2;

    /// <summary>
    /// Test only: a delay before every read of a shard's files, so a test can stop a host in the middle of a shard on
    /// a small corpus. Zero (the default) in production.
    /// </summary>
    public TimeSpan ShardReadDelay { get; init; }

    /// <summary>The connection string without its password, for logs and messages.</summary>
    public string Describe() => Redact(ConnectionString);

    /// <summary><paramref name="connectionString"/> without its password (or the input unchanged when it does not parse).</summary>
    public static string Redact(string connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            if (builder.Password is not null) builder.Password = "***";
            return builder.ConnectionString;
        }
        catch (ArgumentException)
        {
            return "(a connection string that does not parse)";
        }
    }
}
