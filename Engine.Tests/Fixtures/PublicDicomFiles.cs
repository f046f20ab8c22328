namespace Nccid.Batch.Tests.Fixtures;

/// <summary>The public DICOM test files of Debian's python3-pydicom package, installed by scripts/test.sh.</summary>
public static class PublicDicomFiles
{
    public const string Folder = "/usr/lib/python3/dist-packages/pydicom/data/test_files";

    /// <summary>Every .dcm file, sorted; fails with a clear message when the package is missing.</summary>
    public static IReadOnlyList<string> All()
    {
        if (!Directory.Exists(Folder))
        {
            throw new InvalidOperationException(
                $"The pydicom test files are missing ({Folder}). Run scripts/test.sh, which installs Debian's python3-pydicom.");
        }

        var files = Directory.GetFiles(Folder, "*.dcm", SearchOption.TopDirectoryOnly);
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }

    public static string Path(string name)
    {
        var path = System.IO.Path.Combine(Folder, name);
        if (!File.Exists(path)) throw new InvalidOperationException($"Missing pydicom test file {path}. Run scripts/test.sh.");
        return path;
    }

    public static IEnumerable<object[]> Names() => All().Select(f => new object[] { System.IO.Path.GetFileName(f) });
}
