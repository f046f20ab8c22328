using System.Text.Json;
using Nccid.Batch.Hosting;
using Nccid.Batch.Tests.Tables;

namespace Nccid.Batch.Tests.Hosting;

public class RunHistoryTests
{
    [Fact]
    public void Each_run_is_one_json_line_appended_and_read_back_in_order()
    {
        using var temp = new TempDirectory();
        var history = new RunHistory(Path.Combine(temp.Path, "state"));
        var start = new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero);
        history.Append(new RunRecord { RunId = "a", Job = "weekly-release", StartedUtc = start, EndedUtc = start.AddMinutes(5), Outcome = JobRunOutcome.Succeeded, ReleaseId = "weekly-release-2026-03-29", Counts = new Dictionary<string, long> { ["studies"] = 12 }, GatePassed = true });
        history.Append(new RunRecord { RunId = "b", Job = "nightly-audit", StartedUtc = start.AddDays(1), EndedUtc = start.AddDays(1), Outcome = JobRunOutcome.Failed, Error = "IOException: disk full" });

        var lines = File.ReadAllLines(Path.Combine(temp.Path, "state", "runs.jsonl"));
        Assert.Equal(2, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        Assert.Equal("a", first.RootElement.GetProperty("runId").GetString());
        Assert.Equal("weekly-release", first.RootElement.GetProperty("job").GetString());
        Assert.Equal(12, first.RootElement.GetProperty("counts").GetProperty("studies").GetInt64());
        Assert.True(first.RootElement.GetProperty("gatePassed").GetBoolean());
        Assert.Equal(["a", "b"], history.ReadAll().Select(r => r.RunId));
        Assert.Equal("IOException: disk full", history.ReadAll()[1].Error);
        Assert.Equal(start, history.LastStart("weekly-release"));
        Assert.Null(history.LastStart("never-ran"));
    }

    [Fact]
    public void A_torn_last_line_is_skipped_and_later_lines_still_append()
    {
        using var temp = new TempDirectory();
        var history = new RunHistory(temp.Path);
        history.Append(new RunRecord { RunId = "a", Job = "j", Outcome = JobRunOutcome.Succeeded });
        File.AppendAllText(history.FilePath, "{\"runId\":\"torn\",\"jo");
        Assert.Equal(["a"], history.ReadAll().Select(r => r.RunId));
        File.AppendAllText(history.FilePath, "\n");
        history.Append(new RunRecord { RunId = "c", Job = "j", Outcome = JobRunOutcome.Succeeded });
        Assert.Equal(["a", "c"], history.ReadAll().Select(r => r.RunId));
    }
}
