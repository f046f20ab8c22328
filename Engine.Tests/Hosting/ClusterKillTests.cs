using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Nccid.Batch.Hosting;
using Nccid.Batch.Releases;
using Nccid.Batch.Synthetic;
using Nccid.Batch.Tests.Fixtures;
using Nccid.Batch.Tests.Releases;
using Nccid.Batch.Tests.Tables;
using Xunit.Abstractions;

namespace Nccid.Batch.Tests.Hosting;

/// <summary>
/// The cluster's acceptance test: real PostgreSQL, real host processes of the built engine, one of them killed in the
/// middle of a shard; the shard is recovered on another host and the release is published once, byte-identical to a
/// single-host release of the same job.
/// </summary>
public sealed class ClusterKillTests(PostgresFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresFixture>, IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(75);
    private readonly TempDirectory _temp = new();
    private readonly List<HostProcess> _hosts = [];

    public void Dispose()
    {
        foreach (var host in _hosts) host.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task A_host_killed_mid_shard_is_recovered_elsewhere_and_the_release_is_published_once_with_the_single_host_bytes()
    {
        var cs = await postgres.CreateDatabaseAsync("kill");
        await ClusterSchema.InitAsync(cs, CancellationToken.None);
        var corpus = Path.Combine(_temp.Path, "corpus");
        SyntheticCorpusGenerator.Generate(corpus, new SyntheticCorpusOptions { Patients = 6, Seed = 7 }, CancellationToken.None);
        var outputFolder = Path.Combine(_temp.Path, "out");
        var jobFile = ReleasedCorpusFixture.WriteJob(Path.Combine(_temp.Path, "job.json"), corpus, outputFolder);
        File.WriteAllText(jobFile, File.ReadAllText(jobFile).Replace("\"parallelism\": 4", "\"parallelism\": 2", StringComparison.Ordinal));
        var book = new ClusterBook(cs, TimeProvider.System);
        var clock = Stopwatch.StartNew();

        // Host A reads slowly (a test-only throttle), so it is certainly in the middle of its first shard when it is killed.
        var hostA = StartHost(cs, "host-a", readDelayMs: 300);
        var submitting = RunEngineAsync(["cluster", "submit", jobFile, "--connection", cs, "--shard-size", "12"]);

        // Host A starts shards while the submission is still scheduling the later ones: watch the newest run.
        var victim = await WaitForAsync(book, null, r => r.Shards.FirstOrDefault(s => s.State == ClusterShardStatus.Running && s.Host == "host-a"));
        hostA.Process.Kill(entireProcessTree: true);
        await hostA.Process.WaitForExitAsync();
        var submit = await submitting;
        Assert.True(submit.ExitCode == 0, submit.Stderr);
        var runId = submit.Stdout.Trim();
        output.WriteLine($"submitted {runId}: {submit.Stderr.Trim()}");
        var afterKill = (await book.GetAsync(runId, CancellationToken.None))!;
        var killedShard = afterKill.Shards[victim.Shard];
        output.WriteLine($"killed host-a at {clock.Elapsed.TotalSeconds:F1} s while it ran shard {victim.Shard}: {afterKill.Describe()}");
        Assert.Equal(ClusterShardStatus.Running, killedShard.State);
        Assert.False(ReleaseShards.IsDone(afterKill.Staging, victim.Shard));

        StartHost(cs, "host-b", readDelayMs: 0);
        StartHost(cs, "host-c", readDelayMs: 0);
        var ended = await WaitForAsync(book, runId, r => r.State is ClusterBook.RunPublished or ClusterBook.RunFailed or ClusterBook.RunGateFailed ? r : null, pollMs: 200);
        output.WriteLine($"ended at {clock.Elapsed.TotalSeconds:F1} s: {ended.Describe()}");
        var status = await RunEngineAsync(["cluster", "status", "--connection", cs, "--run", runId]);
        output.WriteLine(status.Stdout);

        Assert.Equal(ClusterBook.RunPublished, ended.State);
        Assert.True(ended.Shards.Count >= 6, $"{ended.Shards.Count} shards");
        Assert.All(ended.Shards, s => Assert.Equal(ClusterShardStatus.Done, s.State));
        var recovered = ended.Shards[victim.Shard];
        Assert.True(recovered.Attempts >= 2, $"shard {victim.Shard} ran {recovered.Attempts} time(s)");
        Assert.Contains(recovered.Host, new[] { "host-b", "host-c" });
        Assert.Contains($"{ended.Shards.Count} done, 0 running, 0 pending, 0 failed", status.Stdout, StringComparison.Ordinal);

        // Published exactly once: one release folder, named by LATEST and by the bookkeeping; the staging area is gone.
        var releases = Path.Combine(outputFolder, "releases");
        var published = Directory.GetDirectories(releases).Select(d => Path.GetFileName(d)!).Where(d => d != "state").ToArray();
        Assert.Equal([ended.ReleaseId!], published);
        Assert.Equal(ended.ReleaseId, File.ReadAllText(Path.Combine(releases, "LATEST")).Trim());
        Assert.False(Directory.Exists(ended.Staging));

        // The same job on one host, with the time and engine version the cluster's manifest records.
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(releases, ended.ReleaseId!, ReleaseManifest.FileName)));
        var created = DateTimeOffset.ParseExact(manifest.RootElement.GetProperty("created_utc").GetString()!, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal);
        var engineVersion = manifest.RootElement.GetProperty("engine_version").GetString()!;
        var clusterReleases = Path.Combine(_temp.Path, "cluster-releases");
        Directory.Move(releases, clusterReleases);
        var single = await ReleaseBuilder.RunAsync(ReleaseJobLoader.Load(jobFile), ReleaseBuilder.HashJobFile(jobFile), DateOnly.FromDateTime(created.UtcDateTime), created,
            engineVersion, TimeProvider.System, null, CancellationToken.None);
        Assert.Equal(ended.ReleaseId, single.ReleaseId);
        ReleaseShardsTests.AssertSameBytes(releases, clusterReleases);
        output.WriteLine($"done at {clock.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>Polls run <paramref name="runId"/> (null: the newest run) until <paramref name="until"/> finds something.</summary>
    private static async Task<T> WaitForAsync<T>(ClusterBook book, string? runId, Func<ClusterRunStatus, T?> until, int pollMs = 20)
        where T : class
    {
        var clock = Stopwatch.StartNew();
        async Task<ClusterRunStatus?> Get() => runId is null ? (await book.ListAsync(1, CancellationToken.None)).FirstOrDefault() : await book.GetAsync(runId, CancellationToken.None);
        while (true)
        {
            if (await Get() is { } run && until(run) is { } found) return found;
            if (clock.Elapsed > Deadline)
            {
                var last = await Get();
                throw new TimeoutException($"Run {runId} did not get there within {Deadline}: {last?.Describe()}");
            }

            await Task.Delay(pollMs);
        }
    }

    private HostProcess StartHost(string cs, string id, int readDelayMs)
    {
        var jobs = Directory.CreateDirectory(Path.Combine(_temp.Path, id, "jobs")).FullName;
        var state = Path.Combine(_temp.Path, id, "state");
        var host = new HostProcess(id, EngineProcess.Start([
            "host", "--folder", jobs, "--state", state, "--connection", cs, "--instance-id", id, "--checkin-interval", "1", "--max-concurrent-jobs", "1",
            "--shard-read-delay-ms", readDelayMs.ToString(CultureInfo.InvariantCulture), "--shutdown-timeout", "0",
        ]), output);
        _hosts.Add(host);
        return host;
    }

    private static Task<(int ExitCode, string Stdout, string Stderr)> RunEngineAsync(IEnumerable<string> arguments) => EngineProcess.RunAsync(arguments, Deadline);

    /// <summary>A host process whose output is drained (and shown in the test's output) so it never blocks on a full pipe.</summary>
    private sealed class HostProcess : IDisposable
    {
        private readonly StringBuilder _log = new();
        private readonly ITestOutputHelper _output;
        private readonly string _id;

        public HostProcess(string id, Process process, ITestOutputHelper output)
        {
            _id = id;
            _output = output;
            Process = process;
            process.OutputDataReceived += (_, e) => Append(e.Data);
            process.ErrorDataReceived += (_, e) => Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public Process Process { get; }

        private void Append(string? line)
        {
            if (line is null) return;
            lock (_log) _log.AppendLine(line);
        }

        public void Dispose()
        {
            if (!Process.HasExited) Process.Kill(entireProcessTree: true);
            Process.WaitForExit();
            string log;
            lock (_log) log = _log.ToString();
            var lines = log.Split('\n').Where(l => l.Contains("shard", StringComparison.OrdinalIgnoreCase) || l.Contains("assembl", StringComparison.OrdinalIgnoreCase)
                || l.Contains("fail", StringComparison.OrdinalIgnoreCase) || l.Contains("exception", StringComparison.OrdinalIgnoreCase) || l.Contains("cluster", StringComparison.OrdinalIgnoreCase));
            try
            {
                _output.WriteLine($"--- {_id} ---\n" + string.Join('\n', lines.Take(60)));
            }
            catch (InvalidOperationException)
            {
                // The test has already ended; its output is closed.
            }

            Process.Dispose();
        }
    }
}
