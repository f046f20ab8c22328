using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Nccid.Batch.Hosting;
using Nccid.Batch.Releases;
using Nccid.Batch.Synthetic;
using Nccid.Batch.Tests.Fixtures;
using Nccid.Batch.Tests.Releases;
using Nccid.Batch.Tests.Tables;
using Quartz;
using Xunit.Abstractions;

namespace Nccid.Batch.Tests.Hosting;

/// <summary>
/// A release job of the jobs folder, fired on a clustered host, is fanned out to the cluster like <c>cluster submit</c>;
/// and a shard left running without an outcome by a job that no host runs any more is scheduled again.
/// Real PostgreSQL and real host processes of the built engine.
/// </summary>
public sealed class ClusterScheduledReleaseTests(PostgresFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresFixture>, IDisposable
{
    // Far from any test run: the job fires only when the test fires it.
    private const string YearlySchedule = ", \"schedule\": { \"cron\": \"0 0 3 1 1 ?\" }";

    private readonly TempDirectory _temp = new();
    private readonly List<ClusterKillTests.HostProcess> _hosts = [];

    public void Dispose()
    {
        foreach (var host in _hosts) host.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task A_fired_release_job_is_split_into_shards_run_by_both_hosts_and_published_once_with_the_single_host_bytes()
    {
        var cs = await postgres.CreateDatabaseAsync("fired");
        await ClusterSchema.InitAsync(cs, CancellationToken.None);
        var (jobFile, outputFolder) = WriteCorpusAndJob(YearlySchedule);
        var jobs = Path.GetDirectoryName(jobFile)!;
        var book = new ClusterBook(cs, TimeProvider.System);
        var clock = Stopwatch.StartNew();

        // Both hosts read the same jobs folder; a small read delay keeps each shard busy long enough for both to take some.
        StartHost(cs, "host-a", jobs, readDelayMs: 100);
        StartHost(cs, "host-b", jobs, readDelayMs: 100);
        await using (var client = await ClusterScheduling.OpenClientAsync(new ClusterOptions { ConnectionString = cs, InstanceId = "test" }, TimeProvider.System, CancellationToken.None))
        {
            // Fired only when both hosts have checked in, so that a host slow to start on a busy machine still takes shards.
            var key = new JobKey("test-release", ScheduledJob.Group);
            while (await client.Scheduler.GetJobDetail(key, CancellationToken.None) is null || await CheckedInAsync(cs) < 2)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "the hosts did not both check in and put the jobs folder's job into the cluster's store");
                await Task.Delay(100);
            }

            await client.Scheduler.TriggerJob(key, new JobDataMap(), CancellationToken.None);
        }

        var ended = await ClusterKillTests.WaitForAsync(book, null, r => r.State is ClusterBook.RunPublished or ClusterBook.RunFailed or ClusterBook.RunGateFailed ? r : null, pollMs: 200);
        output.WriteLine($"ended at {clock.Elapsed.TotalSeconds:F1} s: {ended.Describe()}");

        Assert.Equal(ClusterBook.RunPublished, ended.State);
        Assert.Equal("test-release", ended.Job);
        Assert.True(ended.Shards.Count >= 6, $"{ended.Shards.Count} shards");
        Assert.All(ended.Shards, s => Assert.Equal(ClusterShardStatus.Done, s.State));
        Assert.Equal(["host-a", "host-b"], ended.Shards.Select(s => s.Host!).Distinct().Order(StringComparer.Ordinal).ToArray());

        // The firing host recorded the fan-out under the cluster's run id, once in the whole cluster.
        var records = new[] { "host-a", "host-b" }.SelectMany(h => new RunHistory(Path.Combine(_temp.Path, h, "state")).ReadAll()).ToArray();
        var submitted = Assert.Single(records);
        Assert.Equal(JobRunOutcome.Submitted, submitted.Outcome);
        Assert.Equal(ended.RunId, submitted.RunId);
        Assert.Equal(ended.Shards.Count, submitted.Counts["shards"]);

        // Published once, with the bytes of a single-host release at the manifest's time.
        var releases = Path.Combine(outputFolder, "releases");
        Assert.Equal([ended.ReleaseId!], Directory.GetDirectories(releases).Select(d => Path.GetFileName(d)!).Where(d => d != "state").ToArray());
        Assert.Equal(ended.ReleaseId, File.ReadAllText(Path.Combine(releases, "LATEST")).Trim());
        await AssertSingleHostBytesAsync(jobFile, releases, ended.ReleaseId!);

        // Fired again with no file changed: the plan has no shard, and the assembly publishes from the scan index alone.
        await using (var client = await ClusterScheduling.OpenClientAsync(new ClusterOptions { ConnectionString = cs, InstanceId = "test" }, TimeProvider.System, CancellationToken.None))
        {
            await client.Scheduler.TriggerJob(new JobKey("test-release", ScheduledJob.Group), new JobDataMap(), CancellationToken.None);
        }

        var again = await ClusterKillTests.WaitForAsync(book, null,
            r => r.RunId != ended.RunId && r.State is ClusterBook.RunPublished or ClusterBook.RunFailed or ClusterBook.RunGateFailed ? r : null, pollMs: 200);
        Assert.Equal(ClusterBook.RunPublished, again.State);
        Assert.Empty(again.Shards);
        var resubmitted = new[] { "host-a", "host-b" }.SelectMany(h => new RunHistory(Path.Combine(_temp.Path, h, "state")).ReadAll()).Single(r => r.RunId == again.RunId);
        Assert.Equal(0, resubmitted.Counts["files"]);
        Assert.Equal(ended.Shards.Sum(s => s.Files), resubmitted.Counts["unchanged"]);
        Assert.Equal(again.ReleaseId, File.ReadAllText(Path.Combine(releases, "LATEST")).Trim());
    }

    [Fact]
    public async Task A_shard_left_running_by_a_job_no_host_runs_is_scheduled_again_and_the_release_is_published()
    {
        var cs = await postgres.CreateDatabaseAsync("stranded");
        await ClusterSchema.InitAsync(cs, CancellationToken.None);
        var (jobFile, outputFolder) = WriteCorpusAndJob(string.Empty);
        var book = new ClusterBook(cs, TimeProvider.System);
        string runId;
        await using (var client = await ClusterScheduling.OpenClientAsync(new ClusterOptions { ConnectionString = cs, InstanceId = "test" }, TimeProvider.System, CancellationToken.None))
        {
            (runId, _) = await ClusterRelease.SubmitAsync(client.Scheduler, book, ReleaseJobLoader.Load(jobFile), ReleaseBuilder.HashJobFile(jobFile),
                TimeProvider.System.GetUtcNow(), "test", null, 12, CancellationToken.None);

            // The same job again while this run has not ended is refused, naming the run.
            var refused = await Assert.ThrowsAsync<ClusterException>(() => ClusterRelease.SubmitAsync(client.Scheduler, book, ReleaseJobLoader.Load(jobFile),
                ReleaseBuilder.HashJobFile(jobFile), TimeProvider.System.GetUtcNow(), "test", null, 12, CancellationToken.None));
            Assert.Contains($"has run {runId} in progress", refused.Message, StringComparison.Ordinal);
            Assert.Single(await book.ListAsync(10, CancellationToken.None));

            // What a host leaves when its shard job ends with an error it could not record: the shard "running", its
            // one-shot trigger gone, no fired trigger, the durable job still stored.
            var shardJob = ClusterRelease.ShardJobKey(runId, 1);
            Assert.True(await client.Scheduler.UnscheduleJob(new TriggerKey(shardJob.Name, shardJob.Group), CancellationToken.None));
            Assert.NotNull(await client.Scheduler.GetJobDetail(shardJob, CancellationToken.None));
            Assert.False(await book.IsScheduledOrExecutingAsync(shardJob, CancellationToken.None));
            await book.ShardStartedAsync(runId, 1, "host-gone", CancellationToken.None);
            Assert.True(await book.IsScheduledOrExecutingAsync(ClusterRelease.ShardJobKey(runId, 0), CancellationToken.None));
        }

        StartHost(cs, "host-b", Directory.CreateDirectory(Path.Combine(_temp.Path, "no-jobs")).FullName, readDelayMs: 0);
        var ended = await ClusterKillTests.WaitForAsync(book, runId, r => r.State is ClusterBook.RunPublished or ClusterBook.RunFailed or ClusterBook.RunGateFailed ? r : null, pollMs: 200);
        output.WriteLine(ended.Describe());

        Assert.Equal(ClusterBook.RunPublished, ended.State);
        Assert.All(ended.Shards, s => Assert.Equal(ClusterShardStatus.Done, s.State));
        Assert.Equal(2, ended.Shards[1].Attempts);
        Assert.Equal("host-b", ended.Shards[1].Host);
        Assert.Equal([1], ended.Shards.Select(s => s.Attempts).Where(a => a != 2).Distinct().ToArray());
        var releases = Path.Combine(outputFolder, "releases");
        await AssertSingleHostBytesAsync(jobFile, releases, ended.ReleaseId!);
    }

    [Fact]
    public async Task Run_with_a_connection_hands_a_release_job_to_the_cluster_as_shards_instead_of_building_it()
    {
        var cs = await postgres.CreateDatabaseAsync("run");
        await ClusterSchema.InitAsync(cs, CancellationToken.None);
        var (jobFile, outputFolder) = WriteCorpusAndJob(string.Empty);
        var state = Path.Combine(_temp.Path, "run-state");

        var (exitCode, stdout, stderr) = await EngineProcess.RunAsync(["run", jobFile, "--state", state, "--connection", cs, "--shard-size", "12"], TimeSpan.FromSeconds(60));

        Assert.True(exitCode == 0, stderr);
        var runId = stdout.Trim();
        var run = await new ClusterBook(cs, TimeProvider.System).GetAsync(runId, CancellationToken.None);
        Assert.NotNull(run);
        Assert.Equal(ClusterBook.RunRunning, run.State);
        Assert.True(run.Shards.Count >= 6, $"{run.Shards.Count} shards");
        Assert.All(run.Shards, s => Assert.Equal(ClusterShardStatus.Pending, s.State));
        Assert.False(Directory.Exists(Path.Combine(outputFolder, "releases")));
        var record = Assert.Single(new RunHistory(state).ReadAll());
        Assert.Equal((JobRunOutcome.Submitted, runId, "manual"), (record.Outcome, record.RunId, record.Trigger));
        Assert.Equal(run.Shards.Count, record.Counts["shards"]);
    }

    private (string JobFile, string Output) WriteCorpusAndJob(string extra)
    {
        var corpus = Path.Combine(_temp.Path, "corpus");
        SyntheticCorpusGenerator.Generate(corpus, new SyntheticCorpusOptions { Patients = 6, Seed = 7 }, CancellationToken.None);
        var outputFolder = Path.Combine(_temp.Path, "out");
        var jobs = Directory.CreateDirectory(Path.Combine(_temp.Path, "jobs")).FullName;
        var jobFile = ReleasedCorpusFixture.WriteJob(Path.Combine(jobs, "test-release.json"), corpus, outputFolder, extra: extra);
        File.WriteAllText(jobFile, File.ReadAllText(jobFile).Replace("\"parallelism\": 4", "\"parallelism\": 2", StringComparison.Ordinal));
        return (jobFile, outputFolder);
    }

    /// <summary>Moves the cluster's releases aside and builds the same job on one host at the manifest's time: same id, same bytes.</summary>
    private async Task AssertSingleHostBytesAsync(string jobFile, string releases, string releaseId)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(releases, releaseId, ReleaseManifest.FileName)));
        var created = DateTimeOffset.ParseExact(manifest.RootElement.GetProperty("created_utc").GetString()!, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal);
        var engineVersion = manifest.RootElement.GetProperty("engine_version").GetString()!;
        var clusterReleases = Path.Combine(_temp.Path, "cluster-releases");
        Directory.Move(releases, clusterReleases);
        var single = await ReleaseBuilder.RunAsync(ReleaseJobLoader.Load(jobFile), ReleaseBuilder.HashJobFile(jobFile), DateOnly.FromDateTime(created.UtcDateTime), created,
            engineVersion, TimeProvider.System, null, CancellationToken.None);
        Assert.Equal(releaseId, single.ReleaseId);
        ReleaseShardsTests.AssertSameBytes(releases, clusterReleases);
    }

    /// <summary>How many of the test's hosts have checked in to the cluster's store.</summary>
    private static async Task<long> CheckedInAsync(string cs)
    {
        await using var connection = new Npgsql.NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT count(*) FROM qrtz_scheduler_state WHERE instance_name IN ('host-a', 'host-b')", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private void StartHost(string cs, string id, string jobs, int readDelayMs)
    {
        var state = Path.Combine(_temp.Path, id, "state");
        _hosts.Add(new ClusterKillTests.HostProcess(id, EngineProcess.Start([
            "host", "--folder", jobs, "--state", state, "--connection", cs, "--instance-id", id, "--checkin-interval", "1", "--max-concurrent-jobs", "1",
            "--shard-size", "12", "--shard-read-delay-ms", readDelayMs.ToString(CultureInfo.InvariantCulture), "--shutdown-timeout", "0",
        ]), output));
    }
}
