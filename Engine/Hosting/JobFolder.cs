using Nccid.Batch.Releases;

namespace Nccid.Batch.Hosting;

/// <summary>The jobs folder: every <c>*.json</c> file except JSON Schemas (<c>*.schema.json</c>) is a job.</summary>
public static class JobFolder
{
    /// <summary>The job files of <paramref name="folder"/>, sorted by name.</summary>
    public static IReadOnlyList<string> JobFiles(string folder)
    {
        if (!Directory.Exists(folder)) return [];
        var files = Directory.GetFiles(folder, "*.json", SearchOption.TopDirectoryOnly)
            .Where(IsJobFile).Select(Path.GetFullPath).ToArray();
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }

    /// <summary>Whether <paramref name="path"/> names a job file (a .json file that is not a schema).</summary>
    public static bool IsJobFile(string path) =>
        path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && !path.EndsWith(".schema.json", StringComparison.OrdinalIgnoreCase);

    /// <summary>Loads every job file in <paramref name="folder"/>; invalid files become errors, duplicate names too.</summary>
    public static JobFolderScan Load(string folder) => Load(JobFiles(folder));

    /// <summary>Loads <paramref name="files"/>; invalid files become errors, duplicate job names too.</summary>
    public static JobFolderScan Load(IEnumerable<string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var jobs = new SortedDictionary<string, LoadedJob>(StringComparer.Ordinal);
        var errors = new List<string>();
        foreach (var file in files)
        {
            try
            {
                var job = ReleaseJobLoader.Load(file);
                if (jobs.TryGetValue(job.Name, out var first))
                {
                    errors.Add($"{file}: at $.name: '{job.Name}' is already the name of {first.Path}; job names must be unique in a folder.");
                    continue;
                }

                jobs[job.Name] = new LoadedJob(Path.GetFullPath(file), job, ReleaseBuilder.HashJobFile(file));
            }
            catch (JobFileException ex)
            {
                errors.Add(ex.Message);
            }
            catch (IOException ex)
            {
                errors.Add($"{file}: cannot be read ({ex.Message}).");
            }
        }

        return new JobFolderScan(jobs.Values.ToArray(), errors);
    }

    /// <summary>
    /// Finds a job by file path or by name in <paramref name="folder"/>: returns the job file's path, or null with
    /// nothing found.
    /// </summary>
    public static string? Find(string folder, string nameOrFile)
    {
        ArgumentNullException.ThrowIfNull(nameOrFile);
        if (File.Exists(nameOrFile)) return Path.GetFullPath(nameOrFile);
        var byFileName = Path.Combine(folder, nameOrFile + ".json");
        if (File.Exists(byFileName)) return Path.GetFullPath(byFileName);
        return Load(folder).Jobs.FirstOrDefault(j => j.Job.Name == nameOrFile)?.Path;
    }
}
