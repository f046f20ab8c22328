namespace Nccid.Batch.Tests.Fixtures;

/// <summary>Finds the repository root (the folder holding NCCID.Batch.sln) from the test binaries.</summary>
public static class RepositoryRoot
{
    public static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "NCCID.Batch.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("NCCID.Batch.sln not found above " + AppContext.BaseDirectory);
    }
}
