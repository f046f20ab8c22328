using System.CommandLine;
using System.Globalization;
using Nccid.Batch.Hosting;

namespace Nccid.Batch.Cli;

/// <summary>The <c>runs</c> verb: lists the run history, newest last.</summary>
internal static class RunsCommand
{
    public static Command Create()
    {
        var state = new Option<DirectoryInfo>("--state") { Description = "The state folder (run history).", DefaultValueFactory = _ => new DirectoryInfo("state") };
        var job = new Option<string?>("--job") { Description = "Only this job's runs." };
        var last = new Option<int>("--last") { Description = "Show at most this many runs.", DefaultValueFactory = _ => 20 };
        var command = new Command("runs", "List the run history (<state>/runs.jsonl): run id, job, start, duration, outcome, release, error.") { state, job, last };
        command.SetAction(parseResult =>
        {
            var runs = new RunHistory(parseResult.GetValue(state)!.FullName).ReadAll();
            Write(runs, parseResult.GetValue(job), parseResult.GetValue(last), Console.Out);
            return 0;
        });
        return command;
    }

    /// <summary>Writes the last <paramref name="last"/> runs (of <paramref name="job"/>, when given), one per line.</summary>
    public static void Write(IReadOnlyList<RunRecord> runs, string? job, int last, TextWriter output)
    {
        var shown = runs.Where(r => job is null || r.Job == job).TakeLast(Math.Max(1, last)).ToArray();
        if (shown.Length == 0)
        {
            output.WriteLine("No runs recorded yet.");
            return;
        }

        foreach (var r in shown)
        {
            var duration = (r.EndedUtc - r.StartedUtc).ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture);
            var gate = r.GatePassed switch { true => "gate passed", false => "gate FAILED", null => "gate -" };
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.StartedUtc:yyyy-MM-dd HH:mm:ss}Z {r.RunId[..Math.Min(8, r.RunId.Length)]} {r.Job,-20} {r.Trigger,-8} {duration} {r.Outcome,-11} {gate,-11} {r.ReleaseId ?? "-"} {r.Error}").TrimEnd());
        }
    }
}
