using Nccid.Batch.Cli;
using Nccid.Batch.Hosting;
using Nccid.Batch.Tests.Fixtures;
using Nccid.Batch.Tests.Tables;

namespace Nccid.Batch.Tests.Hosting;

public class JobsCommandTests
{
    [Fact]
    public void Validate_exits_2_and_names_the_file_path_and_fix_when_a_job_is_wrong()
    {
        using var temp = new TempDirectory();
        var bad = Path.Combine(temp.Path, "bad.json");
        File.WriteAllText(bad, """{ "name": "bad", "kind": "party", "source": "s", "output": "o" }""");
        var good = Path.Combine(RepositoryRoot.Find(), "jobs", "weekly-release.json");
        using var output = new StringWriter();
        using var errors = new StringWriter();
        Assert.Equal(2, JobsCommand.Validate([good, bad], output, errors));
        Assert.Contains("weekly-release", output.ToString());
        Assert.Contains(bad, errors.ToString());
        Assert.Contains("at $.kind: 'party' is not allowed; use release, audit or scan.", errors.ToString());
        Assert.Equal(0, JobsCommand.Validate([good], TextWriter.Null, TextWriter.Null));
    }

    [Fact]
    public void List_shows_the_next_three_fire_times_in_london_time_or_manual()
    {
        using var output = new StringWriter();
        var exit = JobsCommand.List(Path.Combine(RepositoryRoot.Find(), "jobs"), new DateTimeOffset(2026, 3, 23, 10, 0, 0, TimeSpan.Zero), output, TextWriter.Null);
        Assert.Equal(0, exit);
        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("demo-release", StringComparison.Ordinal) && l.EndsWith("manual", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("weekly-release", StringComparison.Ordinal)
            && l.EndsWith("2026-03-29 02:00 +01:00, 2026-04-05 02:00 +01:00, 2026-04-12 02:00 +01:00", StringComparison.Ordinal));
    }

    [Fact]
    public void Runs_lists_each_recorded_run_on_one_line()
    {
        var start = new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero);
        RunRecord[] runs =
        [
            new() { RunId = "0123456789abcdef", Job = "weekly-release", Trigger = "schedule", StartedUtc = start, EndedUtc = start.AddMinutes(75), Outcome = "succeeded", GatePassed = true, ReleaseId = "weekly-release-2026-03-29" },
            new() { RunId = "fedcba9876543210", Job = "nightly-audit", Trigger = "manual", StartedUtc = start.AddDays(1), EndedUtc = start.AddDays(1), Outcome = "failed", Error = "IOException: disk full" },
        ];
        using var output = new StringWriter();
        RunsCommand.Write(runs, null, 20, output);
        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("2026-03-29 01:00:00Z 01234567 weekly-release", lines[0], StringComparison.Ordinal);
        Assert.Contains("01:15:00 succeeded", lines[0]);
        Assert.Contains("gate passed weekly-release-2026-03-29", lines[0]);
        Assert.EndsWith("IOException: disk full", lines[1], StringComparison.Ordinal);
        using var only = new StringWriter();
        RunsCommand.Write(runs, "nightly-audit", 20, only);
        Assert.DoesNotContain("weekly-release", only.ToString());
    }
}
