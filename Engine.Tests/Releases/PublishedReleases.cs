using Nccid.Batch.Releases;

namespace Nccid.Batch.Tests.Releases;

/// <summary>What a reader of <c>&lt;output&gt;/releases</c> can see, checked to be whole.</summary>
internal static class PublishedReleases
{
    /// <summary>
    /// Asserts that everything visible under <c>releases/</c> is a complete release that passes verification against
    /// its manifest, that <c>LATEST</c> is absent or names one of them, and that nothing else is visible (staging
    /// folders and the temporary LATEST are hidden, named with a leading dot). Returns the visible release ids, sorted.
    /// </summary>
    public static async Task<IReadOnlyList<string>> AssertWholeAsync(string output, string context)
    {
        var releases = Path.Combine(output, "releases");
        if (!Directory.Exists(releases)) return [];
        var ids = Directory.GetDirectories(releases).Select(d => Path.GetFileName(d)!)
            .Where(n => !n.StartsWith('.') && n != "state").Order(StringComparer.Ordinal).ToList();
        foreach (var id in ids)
        {
            var folder = Path.Combine(releases, id);
            Assert.True(File.Exists(Path.Combine(folder, ReleaseManifest.FileName)), $"{context}: releases/{id} is visible without its manifest");
            var problems = await ReleaseManifest.VerifyAsync(folder, CancellationToken.None);
            Assert.True(problems.Count == 0, $"{context}: releases/{id} is visible but fails verification: {string.Join(" ", problems)}");
            foreach (var document in new[] { "README.md", "summary.json", "report.html" })
            {
                Assert.True(File.Exists(Path.Combine(folder, document)), $"{context}: releases/{id} is visible without {document}");
            }
        }

        var visibleFiles = Directory.GetFiles(releases).Select(f => Path.GetFileName(f)!).Where(n => !n.StartsWith('.')).ToList();
        Assert.True(visibleFiles.All(n => n == "LATEST"), $"{context}: unexpected files in releases/: {string.Join(", ", visibleFiles)}");
        var latest = Path.Combine(releases, "LATEST");
        if (File.Exists(latest))
        {
            var named = File.ReadAllText(latest).Trim();
            Assert.True(ids.Contains(named), $"{context}: LATEST names '{named}', which is not a complete release ({string.Join(", ", ids)})");
        }

        return ids;
    }

    /// <summary>The hidden leftovers of runs that died: staging folders and a temporary LATEST.</summary>
    public static IReadOnlyList<string> Leftovers(string output)
    {
        var releases = Path.Combine(output, "releases");
        if (!Directory.Exists(releases)) return [];
        return Directory.GetFileSystemEntries(releases).Select(e => Path.GetFileName(e)!).Where(n => n.StartsWith('.')).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Every file of a folder, by relative path, with its bytes.</summary>
    public static SortedDictionary<string, byte[]> Files(string folder)
    {
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(folder, "*", SearchOption.AllDirectories)) files[Path.GetRelativePath(folder, file)] = File.ReadAllBytes(file);
        return files;
    }
}
