using System.Globalization;
using Nccid.Batch.Pipeline;
using Spectre.Console;

namespace Nccid.Batch.Cli;

/// <summary>
/// Shows a scan's progress: a live bar on a terminal (files, MB, files/s, errors, ETA), plain log lines on
/// standard error every few seconds otherwise, so logs of scheduled runs stay readable.
/// </summary>
internal static class ProgressDisplay
{
    public static async Task<T> RunAsync<T>(string title, Func<Action<ScanProgress>, Task<T>> run)
    {
        ScanProgress? progress = null;
        var task = run(p => progress = p);
        var interactive = !Console.IsErrorRedirected && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        var started = TimeProvider.System.GetTimestamp();
        if (interactive)
        {
            await AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async ctx =>
                {
                    var bar = ctx.AddTask(title, maxValue: 1);
                    while (!task.IsCompleted)
                    {
                        await Task.WhenAny(task, Task.Delay(250, CancellationToken.None)).ConfigureAwait(false);
                        if (progress is null) continue;
                        bar.MaxValue = Math.Max(1, progress.Listed);
                        bar.Value = progress.Done;
                        bar.Description = Line(title, progress, started);
                    }

                    if (progress is not null)
                    {
                        bar.MaxValue = Math.Max(1, progress.Listed);
                        bar.Value = progress.Done;
                        bar.Description = Line(title, progress, started);
                    }
                }).ConfigureAwait(false);
        }
        else
        {
            while (!task.IsCompleted)
            {
                await Task.WhenAny(task, Task.Delay(5000, CancellationToken.None)).ConfigureAwait(false);
                if (progress is not null && !task.IsCompleted) await Console.Error.WriteLineAsync(Line(title, progress, started)).ConfigureAwait(false);
            }
        }

        return await task.ConfigureAwait(false);
    }

    private static string Line(string title, ScanProgress p, long started)
    {
        var seconds = Math.Max(0.001, TimeProvider.System.GetElapsedTime(started).TotalSeconds);
        var rate = p.Done / seconds;
        var total = p.ListingComplete ? p.Listed.ToString("N0", CultureInfo.InvariantCulture) : p.Listed.ToString("N0", CultureInfo.InvariantCulture) + "+";
        // What this run read: rows reused from the scan index are counted apart, not as bytes read now.
        var reused = p.Reused > 0 ? string.Create(CultureInfo.InvariantCulture, $" ({p.Reused:N0} reused)") : string.Empty;
        return string.Create(CultureInfo.InvariantCulture,
            $"{title}: {p.Done:N0}/{total} files{reused}, {(p.BytesRead - p.ReusedBytesRead) / 1e6:N1} MB read, {rate:N0} files/s, {p.Errors:N0} errors");
    }
}
