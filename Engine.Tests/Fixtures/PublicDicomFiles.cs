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

    /// <summary>
    /// Every DICOM file of the folder and its subfolders, as paths relative to <see cref="Folder"/> with '/' separators,
    /// sorted: files named *.dcm, and files of any name with the Part 10 "DICM" prefix at byte 128 (the DICOMDIR test
    /// set names its files without extension). Text, JSON, dumps and the gzip file are left out.
    /// </summary>
    public static IReadOnlyList<string> ConformanceNames()
    {
        All();
        var names = new List<string>();
        foreach (var file in Directory.GetFiles(Folder, "*", SearchOption.AllDirectories))
        {
            if (file.EndsWith(".dcm", StringComparison.Ordinal) || HasPart10Prefix(file))
            {
                names.Add(System.IO.Path.GetRelativePath(Folder, file).Replace('\\', '/'));
            }
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    public static IEnumerable<object[]> ConformanceCases() => ConformanceNames().Select(n => new object[] { n });

    private static bool HasPart10Prefix(string file)
    {
        using var stream = File.OpenRead(file);
        Span<byte> head = stackalloc byte[132];
        return stream.ReadAtLeast(head, 132, throwOnEndOfStream: false) == 132 && head[128..].SequenceEqual("DICM"u8);
    }
}
