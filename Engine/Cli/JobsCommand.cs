using System.CommandLine;
using System.Globalization;
using Nccid.Batch.Hosting;

namespace Nccid.Batch.Cli;

/// <summary>The <c>jobs</c> verb: <c>jobs validate</c> checks job files, <c>jobs list</c> shows each job's next fire times.</summary>
internal static class JobsCommand
{
    public static Command Create()
    {
        var folder = new Option<DirectoryInfo>("--folder") { Description = "The jobs folder.", DefaultValueFactory = _ => new DirectoryInfo("jobs") };
        var files = new Argument<FileInfo[]>("files") { Description = "Job files to check (default: every jobs/*.json).", Arity = ArgumentArity.ZeroOrMore };
        var validate = new Command("validate", "Check job files; every error names the file, the JSON path and what is allowed. Exit code 2 on any error.") { files, folder };
        validate.SetAction(parseResult =>
        {
            var given = parseResult.GetValue(files) ?? [];
            return Validate(given.Length > 0 ? given.Select(f => f.FullName).ToArray() : JobFolder.JobFiles(parseResult.GetValue(folder)!.FullName), Console.Out, Console.Error);
        });
        var list = new Command("list", "List the jobs with their next three fire times (in the job's time zone), or 'manual'.") { folder };
        list.SetAction(parseResult => List(parseResult.GetValue(folder)!.FullName, TimeProvider.System.GetUtcNow(), Console.Out, Console.Error));
        return new Command("jobs", "Job files: validate them, list their schedules.") { validate, list };
    }

    /// <summary>Validates <paramref name="files"/>; returns 0, or 2 when any file has an error (or there is none).</summary>
    public static int Validate(IReadOnlyList<string> files, TextWriter output, TextWriter errors)
    {
        if (files.Count == 0)
        {
            errors.WriteLine("nccid-batch jobs validate: no job files found.");
            return 2;
        }

        var scan = JobFolder.Load(files);
        foreach (var job in scan.Jobs) output.WriteLine($"ok    {job.Path} ({job.Job.Name}, {job.Job.Kind})");
        foreach (var error in scan.Errors) errors.WriteLine("error " + error);
        return scan.Errors.Count == 0 ? 0 : 2;
    }

    /// <summary>Lists the jobs of <paramref name="folder"/> with their next three fire times after <paramref name="now"/>.</summary>
    public static int List(string folder, DateTimeOffset now, TextWriter output, TextWriter errors)
    {
        var scan = JobFolder.Load(folder);
        foreach (var loaded in scan.Jobs)
        {
            var schedule = loaded.Job.Schedule;
            if (!FireTimes.IsScheduled(schedule))
            {
                output.WriteLine($"{loaded.Job.Name,-24} {loaded.Job.Kind,-8} manual");
                continue;
            }

            var zone = TimeZoneInfo.FindSystemTimeZoneById(schedule!.TimeZone);
            var next = FireTimes.Next(schedule, now, 3)
                .Select(t => TimeZoneInfo.ConvertTime(t, zone).ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture));
            output.WriteLine($"{loaded.Job.Name,-24} {loaded.Job.Kind,-8} {schedule.Cron} ({schedule.TimeZone}): {string.Join(", ", next)}");
        }

        foreach (var error in scan.Errors) errors.WriteLine("error " + error);
        return scan.Errors.Count == 0 ? 0 : 2;
    }
}
