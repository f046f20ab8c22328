namespace Nccid.Batch.Tests.Fixtures;

/// <summary>Locates committed files (scripts, docs) from the test binaries' folder.</summary>
public static class RepositoryPaths
{
    /// <summary>A committed file, by its path relative to the repository root.</summary>
    public static string File(string relative) => Path.Combine(RepositoryRoot.Find(), relative);
}
