using Nccid.Batch.Storage;
using Nccid.Batch.Tests.Fixtures;

namespace Nccid.Batch.Tests.Storage;

/// <summary>
/// A finished file taken over by a new output: the same stored file under a second name where the file system allows
/// it, otherwise a durable copy that is never left half-written under the target's name.
/// </summary>
public sealed class FileLinksTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "nccid-links-" + Guid.NewGuid().ToString("N"));

    public FileLinksTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Source(int bytes = 100_000)
    {
        var path = Path.Combine(_root, "source.bin");
        File.WriteAllBytes(path, Enumerable.Range(0, bytes).Select(i => (byte)(i * 31)).ToArray());
        return path;
    }

    [Fact]
    public void On_one_file_system_the_target_is_the_same_stored_file()
    {
        var source = Source();
        var target = Path.Combine(_root, "out", "part.bin");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);

        Assert.True(FileLinks.LinkOrCopy(source, target));

        var identities = FileIdentity.Of(source, target);
        Assert.Equal(identities[0], identities[1]);
        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(target));
    }

    [Fact]
    public void Across_file_systems_the_file_is_copied_and_no_hidden_copy_remains()
    {
        var source = Source();
        using var other = new TmpfsMount(1 << 20);
        var target = Path.Combine(other.Path, "part.bin");

        Assert.False(FileLinks.LinkOrCopy(source, target));

        var identities = FileIdentity.Of(source, target);
        Assert.NotEqual(identities[0], identities[1]);
        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(target));
        Assert.Equal(["part.bin"], Directory.GetFileSystemEntries(other.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void A_copy_that_fails_leaves_neither_the_target_nor_a_partial_copy()
    {
        var source = Source(bytes: 400_000);
        using var other = new TmpfsMount(1 << 20);
        other.FillLeaving(100_000);
        var target = Path.Combine(other.Path, "part.bin");

        var error = Assert.ThrowsAny<IOException>(() => FileLinks.LinkOrCopy(source, target));

        Assert.False(File.Exists(target), error.Message);
        Assert.Equal(["filler"], Directory.GetFileSystemEntries(other.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void An_existing_target_is_refused_and_left_as_it_was()
    {
        var source = Source();
        var target = Path.Combine(_root, "existing.bin");
        File.WriteAllBytes(target, [1, 2, 3]);

        var error = Assert.Throws<IOException>(() => FileLinks.LinkOrCopy(source, target));

        Assert.Contains(target, error.Message, StringComparison.Ordinal);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(target));
    }

    [Fact]
    public void A_missing_source_is_reported_and_nothing_is_made()
    {
        var target = Path.Combine(_root, "target.bin");

        Assert.Throws<FileNotFoundException>(() => FileLinks.LinkOrCopy(Path.Combine(_root, "missing.bin"), target));

        Assert.Empty(Directory.GetFileSystemEntries(_root));
    }
}
