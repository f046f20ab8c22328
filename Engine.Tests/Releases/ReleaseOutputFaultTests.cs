using Nccid.Batch.Synthetic;
using Nccid.Batch.Tests.Fixtures;
using Nccid.Batch.Tests.Tables;
using Xunit.Abstractions;

namespace Nccid.Batch.Tests.Releases;

/// <summary>
/// The output disk fails under the real program: it fills up in the middle of a release, or it is read-only. The
/// run ends with a clear message and exit code 1; the release published before stays whole and LATEST keeps naming
/// it; nothing half-written is left behind.
/// </summary>
public sealed class ReleaseOutputFaultTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_disk_that_fills_up_during_a_release_fails_it_clearly_and_leaves_the_previous_release_whole()
    {
        using var disk = new TmpfsMount(64 << 20);
        var (job, outputFolder) = Setup(disk.Path);
        var first = CliProcess.Run(["release", job, "--as-of", "2021-06-01T12:00:00Z"], _temp.Path, Timeout);
        Assert.True(first.ExitCode == 0, first.Stderr);
        var firstId = Assert.Single(await PublishedReleases.AssertWholeAsync(outputFolder, "first release"));
        var releaseBytes = Directory.GetFiles(Path.Combine(outputFolder, "releases", firstId), "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);

        // Room for about half a release: the second run fails part-way through writing its tables.
        disk.FillLeaving(releaseBytes / 2);
        var second = CliProcess.Run(["release", job, "--as-of", "2021-06-02T12:00:00Z"], _temp.Path, Timeout);
        output.WriteLine($"release of {releaseBytes:N0} bytes; with {releaseBytes / 2:N0} free: exit {second.ExitCode}: {second.Stderr}");

        Assert.Equal(1, second.ExitCode);
        Assert.Contains("nccid-batch release: the release could not be written to " + outputFolder, second.Stderr, StringComparison.Ordinal);
        Assert.Contains("No space left on device", second.Stderr, StringComparison.Ordinal);
        Assert.Contains("Nothing was published", second.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", second.Stderr, StringComparison.Ordinal);
        Assert.Equal([firstId], await PublishedReleases.AssertWholeAsync(outputFolder, "after the disk filled up"));
        Assert.Equal(firstId, File.ReadAllText(Path.Combine(outputFolder, "releases", "LATEST")).Trim());
        Assert.Empty(PublishedReleases.Leftovers(outputFolder));
    }

    [Fact]
    public async Task A_read_only_output_fails_the_release_clearly_and_changes_nothing()
    {
        using var disk = new TmpfsMount(64 << 20);
        var (job, outputFolder) = Setup(disk.Path);
        var first = CliProcess.Run(["release", job, "--as-of", "2021-06-01T12:00:00Z"], _temp.Path, Timeout);
        Assert.True(first.ExitCode == 0, first.Stderr);
        var firstId = Assert.Single(await PublishedReleases.AssertWholeAsync(outputFolder, "first release"));
        var before = PublishedReleases.Files(outputFolder);

        disk.MakeReadOnly();
        var second = CliProcess.Run(["release", job, "--as-of", "2021-06-02T12:00:00Z"], _temp.Path, Timeout);
        output.WriteLine($"exit {second.ExitCode}: {second.Stderr}");

        Assert.Equal(1, second.ExitCode);
        Assert.Contains("nccid-batch release: the release could not be written to " + outputFolder, second.Stderr, StringComparison.Ordinal);
        Assert.Contains("Read-only file system", second.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", second.Stderr, StringComparison.Ordinal);
        Assert.Equal([firstId], await PublishedReleases.AssertWholeAsync(outputFolder, "after the read-only run"));
        var after = PublishedReleases.Files(outputFolder);
        Assert.Equal(before.Keys, after.Keys);
        Assert.All(before, kv => Assert.True(kv.Value.AsSpan().SequenceEqual(after[kv.Key]), kv.Key + " changed"));
    }

    [Fact]
    public void A_release_into_a_read_only_folder_with_nothing_yet_fails_clearly_and_creates_nothing()
    {
        using var disk = new TmpfsMount(1 << 20);
        disk.MakeReadOnly();
        var (job, outputFolder) = Setup(disk.Path);
        var run = CliProcess.Run(["release", job, "--as-of", "2021-06-01T12:00:00Z"], _temp.Path, Timeout);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Read-only file system", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(outputFolder));
        Assert.Empty(Directory.GetFileSystemEntries(disk.Path));
    }

    private (string Job, string Output) Setup(string disk)
    {
        var corpus = Path.Combine(_temp.Path, "corpus");
        if (!Directory.Exists(corpus)) SyntheticCorpusGenerator.Generate(corpus, new SyntheticCorpusOptions { Patients = 12, Seed = 5 }, CancellationToken.None);
        var outputFolder = Path.Combine(disk, "out");
        return (ReleasedCorpusFixture.WriteJob(Path.Combine(_temp.Path, "job.json"), corpus, outputFolder), outputFolder);
    }
}
