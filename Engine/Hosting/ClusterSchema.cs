using Npgsql;

namespace Nccid.Batch.Hosting;

/// <summary>
/// The cluster's tables in PostgreSQL: Quartz's job store (<c>qrtz_*</c>) and the release bookkeeping
/// (<c>nccid_release_runs</c>, <c>nccid_release_shards</c>), from the embedded <c>cluster-schema.sql</c>.
/// </summary>
public static class ClusterSchema
{
    /// <summary>The tables a host needs; every one is created by <see cref="InitAsync"/>.</summary>
    public static IReadOnlyList<string> Tables { get; } =
    [
        "qrtz_job_details", "qrtz_triggers", "qrtz_simple_triggers", "qrtz_cron_triggers", "qrtz_simprop_triggers", "qrtz_blob_triggers",
        "qrtz_calendars", "qrtz_paused_trigger_grps", "qrtz_paused_job_grps", "qrtz_fired_triggers", "qrtz_scheduler_state", "qrtz_locks",
        "nccid_release_runs", "nccid_release_shards",
    ];

    /// <summary>Creates whatever is missing of the schema, in one transaction; running it again changes nothing.</summary>
    /// <returns>The tables that now exist.</returns>
    /// <exception cref="ClusterException">The database cannot be reached or refuses the statements.</exception>
    public static async Task<IReadOnlyList<string>> InitAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(connectionString, cancellationToken).ConfigureAwait(false);
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

            // Two inits at once would race on "create table if not exists"; the advisory lock makes the second wait for the first.
            await using (var lockCommand = new NpgsqlCommand("select pg_advisory_xact_lock(7164002511)", connection, transaction))
            {
                await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            foreach (var statement in Statements())
            {
                await using var command = new NpgsqlCommand(statement, connection, transaction);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex)
        {
            throw new ClusterException($"Creating the cluster schema in {ClusterOptions.Redact(connectionString)} failed: {ex.MessageText} ({ex.SqlState}).", ex);
        }

        var missing = await MissingTablesAsync(connection, cancellationToken).ConfigureAwait(false);
        return Tables.Except(missing).ToArray();
    }

    /// <summary>Checks that the database answers and has every table.</summary>
    /// <exception cref="ClusterException">Unreachable, or tables missing: the message says to run <c>nccid-batch cluster init</c>.</exception>
    public static async Task VerifyAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(connectionString, cancellationToken).ConfigureAwait(false);
        var missing = await MissingTablesAsync(connection, cancellationToken).ConfigureAwait(false);
        if (missing.Count > 0)
        {
            throw new ClusterException(
                $"The cluster database {ClusterOptions.Redact(connectionString)} has no cluster schema (missing {string.Join(", ", missing)}): run 'nccid-batch cluster init --connection <connection string>' once.");
        }
    }

    /// <summary>Opens a connection, turning a bad connection string or an unreachable server into a <see cref="ClusterException"/>.</summary>
    internal static async Task<NpgsqlConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        NpgsqlConnection connection;
        try
        {
            connection = new NpgsqlConnection(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new ClusterException("The cluster connection string does not parse: " + ex.Message + " (expected e.g. 'Host=db;Port=5432;Database=nccid;Username=nccid;Password=...').", ex);
        }

        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new ClusterException($"Cannot connect to the cluster database {ClusterOptions.Redact(connectionString)}: {ex.Message}", ex);
        }
    }

    private static async Task<List<string>> MissingTablesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var missing = new List<string>();
        foreach (var table in Tables)
        {
            await using var command = new NpgsqlCommand("select to_regclass(@name) is null", connection);
            command.Parameters.AddWithValue("name", table);
            if ((bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!) missing.Add(table);
        }

        return missing;
    }

    private static IEnumerable<string> Statements()
    {
        using var stream = typeof(ClusterSchema).Assembly.GetManifestResourceStream("Nccid.Batch.Hosting.cluster-schema.sql")
            ?? throw new InvalidOperationException("The embedded cluster-schema.sql is missing from the build.");
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        foreach (var piece in text.Split("\n-- statement\n", StringSplitOptions.None))
        {
            var sql = string.Join('\n', piece.Split('\n').Where(l => !l.TrimStart().StartsWith("--", StringComparison.Ordinal))).Trim();
            if (sql.Length > 0) yield return sql;
        }
    }
}
