namespace Nccid.Batch.Tests.Fixtures;

/// <summary>Locates committed files (scripts, docs) from the test binaries' folder.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>The repository root: the nearest ancestor folder that holds NCCID.Batch.sln.</summary>
    public static string Root => RootPath.Value;

    /// <summary>A committed file, by its path relative to the repository root.</summary>
    public static string File(string relative) => Path.Combine(Root, relative);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "NCCID.Batch.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException($"No NCCID.Batch.sln above {AppContext.BaseDirectory}.");
    }
}
