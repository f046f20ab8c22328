using Nccid.Batch.Releases;
using Npgsql;

namespace Nccid.Batch.Hosting;

/// <summary>
/// The bookkeeping of clustered releases in PostgreSQL: which runs were submitted, which shards are pending, running,
/// done or failed, and which host assembled and published a run. Quartz decides who runs what; this says how far it got.
/// </summary>
public sealed class ClusterBook(string connectionString, TimeProvider time)
{
    /// <summary>Run state: shards are being scanned.</summary>
    public const string RunRunning = "running";

    /// <summary>Run state: a host is assembling and publishing.</summary>
    public const string RunAssembling = "assembling";

    /// <summary>Run state: published (once).</summary>
    public const string RunPublished = "published";

    /// <summary>Run state: the audit gate failed; nothing was published.</summary>
    public const string RunGateFailed = "gate_failed";

    /// <summary>Run state: a shard or the assembly failed; nothing was published.</summary>
    public const string RunFailed = "failed";

    /// <summary>Records a submitted run and its shards, all pending.</summary>
    public async Task RegisterAsync(string runId, string job, string staging, IReadOnlyList<ReleaseShard> shards, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(shards);
        await using var connection = await ClusterSchema.OpenAsync(connectionString, ct).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using (var run = new NpgsqlCommand(
            "insert into nccid_release_runs (run_id, job_name, staging, shard_count, state, submitted_utc) values (@run, @job, @staging, @count, 'running', @now)", connection, transaction))
        {
            run.Parameters.AddWithValue("run", runId);
            run.Parameters.AddWithValue("job", job);
            run.Parameters.AddWithValue("staging", staging);
            run.Parameters.AddWithValue("count", shards.Count);
            run.Parameters.AddWithValue("now", time.GetUtcNow());
            await run.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        foreach (var shard in shards)
        {
            await using var insert = new NpgsqlCommand("insert into nccid_release_shards (run_id, shard, centre, files) values (@run, @shard, @centre, @files)", connection, transaction);
            insert.Parameters.AddWithValue("run", runId);
            insert.Parameters.AddWithValue("shard", shard.Number);
            insert.Parameters.AddWithValue("centre", shard.Centre);
            insert.Parameters.AddWithValue("files", shard.Objects);
            await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        await transaction.CommitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>A host started (or restarted) a shard.</summary>
    public Task ShardStartedAsync(string runId, int shard, string host, CancellationToken ct) => ExecuteAsync(
        "update nccid_release_shards set state = 'running', host = @host, attempts = attempts + 1, started_utc = @now, ended_utc = null, error = null where run_id = @run and shard = @shard",
        ct, ("run", runId), ("shard", shard), ("host", host), ("now", time.GetUtcNow()));

    /// <summary>A shard's part is written.</summary>
    public Task ShardDoneAsync(string runId, int shard, CancellationToken ct) => ExecuteAsync(
        "update nccid_release_shards set state = 'done', ended_utc = @now where run_id = @run and shard = @shard",
        ct, ("run", runId), ("shard", shard), ("now", time.GetUtcNow()));

    /// <summary>A shard failed.</summary>
    public Task ShardFailedAsync(string runId, int shard, string error, CancellationToken ct) => ExecuteAsync(
        "update nccid_release_shards set state = 'failed', ended_utc = @now, error = @error where run_id = @run and shard = @shard",
        ct, ("run", runId), ("shard", shard), ("error", error), ("now", time.GetUtcNow()));

    /// <summary>A host begins assembling; returns the run's state before (assembling again means an earlier assembly died).</summary>
    public async Task<string?> BeginAssemblyAsync(string runId, string host, CancellationToken ct)
    {
        await using var connection = await ClusterSchema.OpenAsync(connectionString, ct).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        string? before;
        await using (var select = new NpgsqlCommand("select state from nccid_release_runs where run_id = @run for update", connection, transaction))
        {
            select.Parameters.AddWithValue("run", runId);
            before = await select.ExecuteScalarAsync(ct).ConfigureAwait(false) as string;
        }

        if (before is RunRunning or RunAssembling)
        {
            await using var update = new NpgsqlCommand("update nccid_release_runs set state = 'assembling', host = @host where run_id = @run", connection, transaction);
            update.Parameters.AddWithValue("run", runId);
            update.Parameters.AddWithValue("host", host);
            await update.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        await transaction.CommitAsync(ct).ConfigureAwait(false);
        return before;
    }

    /// <summary>Ends a run: published (with its release id), gate_failed or failed (with the reason).</summary>
    public Task EndRunAsync(string runId, string state, string? releaseId, string? error, CancellationToken ct) => ExecuteAsync(
        "update nccid_release_runs set state = @state, release_id = @release, error = @error, ended_utc = @now where run_id = @run",
        ct, ("run", runId), ("state", state), ("release", (object?)releaseId ?? DBNull.Value), ("error", (object?)error ?? DBNull.Value), ("now", time.GetUtcNow()));

    /// <summary>
    /// Whether the cluster will still run Quartz job <paramref name="job"/> or is running it: a trigger waits for it
    /// (including the trigger Quartz adds to recover the job of a dead host), or a host has fired it and not finished.
    /// Read from Quartz's tables, because a scheduler only knows the jobs executing in its own process.
    /// </summary>
    public async Task<bool> IsScheduledOrExecutingAsync(Quartz.JobKey job, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(job);
        await using var connection = await ClusterSchema.OpenAsync(connectionString, ct).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "select exists (select 1 from qrtz_triggers where sched_name = @sched and job_name = @name and job_group = @group and trigger_state <> 'COMPLETE') " +
            "or exists (select 1 from qrtz_fired_triggers where sched_name = @sched and job_name = @name and job_group = @group)", connection);
        command.Parameters.AddWithValue("sched", ClusterOptions.SchedulerName);
        command.Parameters.AddWithValue("name", job.Name);
        command.Parameters.AddWithValue("group", job.Group);
        return (bool)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    /// <summary>The run <paramref name="runId"/>, or null when unknown.</summary>
    public async Task<ClusterRunStatus?> GetAsync(string runId, CancellationToken ct) => (await QueryAsync(runId, 1, ct).ConfigureAwait(false)).FirstOrDefault();

    /// <summary>The newest runs first.</summary>
    public Task<IReadOnlyList<ClusterRunStatus>> ListAsync(int limit, CancellationToken ct) => QueryAsync(null, limit, ct);

    /// <summary>The id of a run of job <paramref name="job"/> that has not ended (running or assembling), or null.</summary>
    public async Task<string?> ActiveRunOfAsync(string job, CancellationToken ct)
    {
        await using var connection = await ClusterSchema.OpenAsync(connectionString, ct).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "select run_id from nccid_release_runs where job_name = @job and state in (@running, @assembling) order by submitted_utc desc limit 1", connection);
        command.Parameters.AddWithValue("job", job);
        command.Parameters.AddWithValue("running", RunRunning);
        command.Parameters.AddWithValue("assembling", RunAssembling);
        return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) as string;
    }

    private async Task<IReadOnlyList<ClusterRunStatus>> QueryAsync(string? runId, int limit, CancellationToken ct)
    {
        await using var connection = await ClusterSchema.OpenAsync(connectionString, ct).ConfigureAwait(false);
        var runs = new List<(string Id, string Job, string Staging, string State, string? Release, string? Host, DateTimeOffset Submitted, DateTimeOffset? Ended, string? Error)>();
        await using (var command = new NpgsqlCommand(
            "select run_id, job_name, staging, state, release_id, host, submitted_utc, ended_utc, error from nccid_release_runs " +
            "where @run::text is null or run_id = @run order by submitted_utc desc, run_id limit @limit", connection))
        {
            command.Parameters.AddWithValue("run", NpgsqlTypes.NpgsqlDbType.Text, (object?)runId ?? DBNull.Value);
            command.Parameters.AddWithValue("limit", limit);
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                runs.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), Text(reader, 4), Text(reader, 5),
                    reader.GetFieldValue<DateTimeOffset>(6), reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7), Text(reader, 8)));
            }
        }

        var result = new List<ClusterRunStatus>();
        foreach (var run in runs)
        {
            var shards = new List<ClusterShardStatus>();
            await using var command = new NpgsqlCommand(
                "select shard, centre, files, state, host, attempts, error from nccid_release_shards where run_id = @run order by shard", connection);
            command.Parameters.AddWithValue("run", run.Id);
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                shards.Add(new ClusterShardStatus(reader.GetInt32(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3), Text(reader, 4), reader.GetInt32(5), Text(reader, 6)));
            }

            result.Add(new ClusterRunStatus(run.Id, run.Job, run.Staging, run.State, run.Release, run.Host, run.Submitted, run.Ended, run.Error, shards));
        }

        return result;
    }

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private async Task ExecuteAsync(string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var connection = await ClusterSchema.OpenAsync(connectionString, ct).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
