using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Nccid.Batch.Hosting;
using Nccid.Batch.Tests.Tables;
using Quartz;

namespace Nccid.Batch.Tests.Hosting;

public sealed class JobHostTests : IDisposable
{
    // Monday 2026-03-23 10:00 UTC: the weekly job last fired on Sunday 02:00.
    private static readonly DateTimeOffset Monday = new(2026, 3, 23, 10, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();

    private string Jobs => Path.Combine(_temp.Path, "jobs");

    private string State => Path.Combine(_temp.Path, "state");

    public void Dispose() => _temp.Dispose();

    private JobHostOptions Options(TimeSpan? shutdown = null) => new()
    {
        JobsFolder = Jobs, StateFolder = State, WatchDebounce = TimeSpan.FromMilliseconds(100), PollInterval = TimeSpan.FromSeconds(2), ShutdownTimeout = shutdown ?? TimeSpan.FromSeconds(10),
    };

    private void WriteJob(string name, string? cron, int retries = 0)
    {
        Directory.CreateDirectory(Jobs);
        var schedule = cron is null ? "null" : $$"""{ "cron": "{{cron}}", "timeZone": "Europe/London" }""";
        File.WriteAllText(Path.Combine(Jobs, name + ".json"), $$"""{ "name": "{{name}}", "source": "in", "output": "out", "schedule": {{schedule}}, "retries": {{retries}} }""");
    }

    private static async Task Eventually(Func<bool> condition, string what)
    {
        for (var i = 0; i < 500 && !condition(); i++) await Task.Delay(20);
        Assert.True(condition(), "timed out waiting until " + what);
    }

    private static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        for (var i = 0; i < 500 && !await condition(); i++) await Task.Delay(20);
        Assert.True(await condition(), "timed out waiting until " + what);
    }

    [Fact]
    public async Task A_release_missed_for_weeks_while_the_host_was_down_runs_once_then_waits_for_next_sunday()
    {
        WriteJob("weekly", "0 0 2 ? * SUN");
        var history = new RunHistory(State);
        var lastRun = new DateTimeOffset(2026, 3, 1, 2, 0, 0, TimeSpan.Zero);
        history.Append(new RunRecord { RunId = "old", Job = "weekly", StartedUtc = lastRun, EndedUtc = lastRun, Outcome = JobRunOutcome.Succeeded });
        var time = new FakeTimeProvider(Monday);
        var runner = new FakeJobRunner();
        using var host = JobHost.Build(Options(), runner, time);
        await host.StartAsync();
        // Quartz's scheduler thread waits on the fake clock: move it on a second at a time until the fire happens.
        await Eventually(() => { time.Advance(TimeSpan.FromSeconds(1)); return history.ReadAll().Count == 2; }, "the missed run is recorded");
        time.Advance(TimeSpan.FromMinutes(10));
        await Task.Delay(300);
        Assert.Equal(1, runner.Runs);
        var run = history.ReadAll()[^1];
        Assert.Equal("weekly", run.Job);
        Assert.Equal("misfire", run.Trigger);
        var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var trigger = await scheduler.GetTrigger(new TriggerKey("weekly", ScheduledJob.Group));
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), trigger!.NextFireTimeUtc);
        await host.StopAsync();
    }

    [Fact]
    public async Task A_job_that_ran_since_its_last_fire_time_is_not_run_again_at_start()
    {
        WriteJob("weekly", "0 0 2 ? * SUN");
        var history = new RunHistory(State);
        var lastRun = new DateTimeOffset(2026, 3, 22, 2, 0, 0, TimeSpan.Zero);
        history.Append(new RunRecord { RunId = "recent", Job = "weekly", StartedUtc = lastRun, EndedUtc = lastRun, Outcome = JobRunOutcome.Succeeded });
        var runner = new FakeJobRunner();
        using var host = JobHost.Build(Options(), runner, new FakeTimeProvider(Monday));
        await host.StartAsync();
        await Task.Delay(500);
        await host.StopAsync();
        Assert.Equal(0, runner.Runs);
        Assert.Single(history.ReadAll());
    }

    [Fact]
    public async Task Fires_of_the_same_job_never_overlap()
    {
        WriteJob("busy", "0/1 * * * * ?");
        var runner = new FakeJobRunner { Hold = TimeSpan.FromMilliseconds(300) };
        using var host = JobHost.Build(Options(), runner, TimeProvider.System);
        await host.StartAsync();
        var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var key = new JobKey("busy", ScheduledJob.Group);
        for (var i = 0; i < 4; i++) await scheduler.TriggerJob(key);
        await Eventually(() => runner.Runs >= 4, "four runs have ended");
        await host.StopAsync();
        Assert.Equal(1, runner.MaxConcurrency);
        var runs = new RunHistory(State).ReadAll();
        for (var i = 1; i < runs.Count; i++) Assert.True(runs[i].StartedUtc >= runs[i - 1].EndedUtc, "a run started before the previous one ended");
    }

    [Fact]
    public async Task Adding_changing_and_removing_a_job_file_reschedules_without_a_restart()
    {
        WriteJob("first", "0 0 2 ? * SUN");
        var time = new FakeTimeProvider(Monday);
        using var host = JobHost.Build(Options(), new FakeJobRunner(), time);
        await host.StartAsync();
        var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        async Task<DateTimeOffset?> NextFire(string name) => (await scheduler.GetTrigger(new TriggerKey(name, ScheduledJob.Group)))?.NextFireTimeUtc;
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), await NextFire("first"));

        WriteJob("second", "0 0 3 * * ?");
        await Eventually(async () => await NextFire("second") is not null, "the added job is scheduled");
        Assert.Equal(new DateTimeOffset(2026, 3, 24, 3, 0, 0, TimeSpan.Zero), await NextFire("second"));

        WriteJob("first", "0 0 4 ? * WED");
        await Eventually(async () => await NextFire("first") == new DateTimeOffset(2026, 3, 25, 4, 0, 0, TimeSpan.Zero), "the changed job is rescheduled");

        File.Delete(Path.Combine(Jobs, "second.json"));
        await Eventually(async () => !await scheduler.Exists(new JobKey("second", ScheduledJob.Group)), "the removed job is unscheduled");
        Assert.True(await scheduler.Exists(new JobKey("first", ScheduledJob.Group)));
        await host.StopAsync();
    }

    [Fact]
    public async Task Shutdown_waits_then_cancels_a_running_job_and_records_it_as_cancelled()
    {
        WriteJob("slow", "0 0 2 ? * SUN");
        var runner = new FakeJobRunner { Hold = Timeout.InfiniteTimeSpan };
        using var host = JobHost.Build(Options(TimeSpan.FromMilliseconds(300)), runner, TimeProvider.System);
        await host.StartAsync();
        var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await scheduler.TriggerJob(new JobKey("slow", ScheduledJob.Group));
        await Eventually(() => host.Services.GetRequiredService<RunningJobs>().Count == 1, "the run has started");
        await host.StopAsync();
        var run = Assert.Single(new RunHistory(State).ReadAll());
        Assert.Equal("slow", run.Job);
        Assert.Equal(JobRunOutcome.Cancelled, run.Outcome);
        Assert.Equal(0, host.Services.GetRequiredService<RunningJobs>().Count);
    }

    [Fact]
    public async Task Each_run_is_logged_with_id_job_times_outcome_counts_and_gate()
    {
        WriteJob("weekly", "0 0 2 ? * SUN");
        var runner = new FakeJobRunner();
        using var host = JobHost.Build(Options(), runner, TimeProvider.System);
        await host.StartAsync();
        var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await scheduler.TriggerJob(new JobKey("weekly", ScheduledJob.Group));
        var history = new RunHistory(State);
        await Eventually(() => history.ReadAll().Count == 1, "the run is recorded");
        await host.StopAsync();
        var run = history.ReadAll()[0];
        Assert.Equal(32, run.RunId.Length);
        Assert.Equal("weekly", run.Job);
        Assert.Equal(Path.Combine(Jobs, "weekly.json"), run.JobFile);
        Assert.Equal(JobRunOutcome.Succeeded, run.Outcome);
        Assert.Equal("weekly-r", run.ReleaseId);
        Assert.Equal(3, run.Counts["studies"]);
        Assert.True(run.GatePassed);
        Assert.True(run.EndedUtc >= run.StartedUtc);
        Assert.Single(File.ReadAllLines(history.FilePath));
    }
}
