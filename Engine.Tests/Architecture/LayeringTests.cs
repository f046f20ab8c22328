using System.Text.RegularExpressions;

using Nccid.Batch.Tests.Fixtures;

namespace Nccid.Batch.Tests.Architecture;

public partial class LayeringTests
{
    /// <summary>The data's path: each folder may use only the folders before it.</summary>
    private static readonly string[] Path =
        ["Storage", "Dicom", "Pipeline", "Tables", "Synthetic", "Audit", "Index", "Clinical", "Releases", "Hosting", "Cli"];

    [GeneratedRegex(@"(?:using\s+|\b)Nccid\.Batch\.(\w+)")]
    private static partial Regex Reference();

    [Fact]
    public void No_folder_uses_a_folder_later_on_the_data_path()
    {
        var engine = System.IO.Path.Combine(RepositoryRoot.Find(), "Engine");
        var violations = new List<string>();
        foreach (var file in Directory.EnumerateFiles(engine, "*.cs", SearchOption.AllDirectories))
        {
            var relative = System.IO.Path.GetRelativePath(engine, file);
            if (relative.StartsWith("bin", StringComparison.Ordinal) || relative.StartsWith("obj", StringComparison.Ordinal)) continue;
            var folder = relative.Split(System.IO.Path.DirectorySeparatorChar)[0];
            var own = Array.IndexOf(Path, folder);
            if (own < 0) continue;
            foreach (Match m in Reference().Matches(File.ReadAllText(file)))
            {
                var used = Array.IndexOf(Path, m.Groups[1].Value);
                if (used > own) violations.Add($"{relative} uses Nccid.Batch.{m.Groups[1].Value}");
            }
        }

        Assert.Empty(violations);
    }

    [Fact]
    public void Every_engine_folder_is_on_the_data_path()
    {
        var engine = System.IO.Path.Combine(RepositoryRoot.Find(), "Engine");
        var folders = Directory.GetDirectories(engine).Select(System.IO.Path.GetFileName)
            .Where(n => n is not "bin" and not "obj").ToArray();
        Assert.All(folders, f => Assert.Contains(f, Path));
    }
}
