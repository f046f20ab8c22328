using System.Diagnostics;
using System.Text;
using Nccid.Batch.Index;
using Nccid.Batch.Synthetic;
using Nccid.Batch.Tests.Fixtures;
using Nccid.Batch.Tests.Tables;
using Xunit.Abstractions;

namespace Nccid.Batch.Tests.Releases;

/// <summary>
/// The real program killed with SIGKILL at seeded points of a release, again and again: after every kill nothing
/// partial is visible, the scan index still verifies, and the run that finally completes publishes a release
/// byte-identical to an uninterrupted one.
/// </summary>
public sealed class ReleaseKillTests(ITestOutputHelper output)
{
    private const int Seed = 20_261_125;
    private const int Kills = 7;
    private const string AsOf = "2021-06-01T12:00:00Z";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_release_killed_at_random_points_never_shows_a_partial_release_and_completes_identically()
    {
        using var temp = new TempDirectory();
        var corpus = Path.Combine(temp.Path, "corpus");
        SyntheticCorpusGenerator.Generate(corpus, new SyntheticCorpusOptions { Patients = 16, Seed = 3 }, CancellationToken.None);
        var outputFolder = Path.Combine(temp.Path, "out");
        var job = ReleasedCorpusFixture.WriteJob(Path.Combine(temp.Path, "job.json"), corpus, outputFolder);
        string[] arguments = ["release", job, "--as-of", AsOf];

        // The uninterrupted run, kept aside; the killed runs then use the very same job file and output folder, so
        // that the manifest (which records the job as resolved) can be compared byte for byte.
        var clock = Stopwatch.StartNew();
        var uninterrupted = CliProcess.Run(arguments, temp.Path, Timeout);
        var duration = clock.Elapsed;
        Assert.True(uninterrupted.ExitCode == 0, uninterrupted.Stderr + uninterrupted.Stdout);
        var baselineIds = await PublishedReleases.AssertWholeAsync(outputFolder, "uninterrupted run");
        var baselineId = Assert.Single(baselineIds);
        var baseline = PublishedReleases.Files(Path.Combine(outputFolder, "releases", baselineId));
        Directory.Delete(outputFolder, recursive: true);

        // Kill points spread over the first part of the run's length (the first run, timed above, is the slowest:
        // later ones find the corpus in the page cache). Where the run is when the signal lands differs from machine
        // to machine, and every assertion below holds wherever it lands.
        var random = new Random(Seed);
        var interrupted = 0;
        for (var k = 0; k < Kills; k++)
        {
            var delay = duration * (0.02 + (0.5 * random.NextDouble()));
            using var process = Process.Start(CliProcess.StartInfo(arguments, temp.Path))!;
            process.StandardInput.Close();
            var drain = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
            var finished = process.WaitForExit(delay);
            if (!finished)
            {
                process.Kill(entireProcessTree: true);
                interrupted++;
            }

            Assert.True(process.WaitForExit(Timeout));
            await drain;
            var visible = await PublishedReleases.AssertWholeAsync(outputFolder, $"after kill {k + 1} at {delay.TotalMilliseconds:N0} ms");
            await AssertIndexesVerifyAsync(outputFolder, $"after kill {k + 1}");
            output.WriteLine($"kill {k + 1} at {delay.TotalMilliseconds:N0} ms of {duration.TotalMilliseconds:N0}: {(finished ? "had finished" : "killed")}; "
                + $"visible [{string.Join(", ", visible)}], leftovers [{string.Join(", ", PublishedReleases.Leftovers(outputFolder))}]");
        }

        Assert.True(interrupted > 0, "no kill landed while the release was running");

        // The next run cleans up what the killed ones left and completes.
        var final = CliProcess.Run(arguments, temp.Path, Timeout);
        Assert.True(final.ExitCode == 0, final.Stderr + final.Stdout);
        Assert.Empty(PublishedReleases.Leftovers(outputFolder));
        var ids = await PublishedReleases.AssertWholeAsync(outputFolder, "after the final run");
        var latest = File.ReadAllText(Path.Combine(outputFolder, "releases", "LATEST")).Trim();
        Assert.Contains(latest, ids);
        Assert.True(await AssertIndexesVerifyAsync(outputFolder, "after the final run") > 0, "the final run left no scan index");

        // Every published release is the uninterrupted one. A killed run that got as far as its publishing rename
        // left a complete release under the base id; the final run then published under the next id ("-2"), and
        // differs from the uninterrupted run by that id in its documents only.
        foreach (var id in ids)
        {
            var files = PublishedReleases.Files(Path.Combine(outputFolder, "releases", id));
            Assert.Equal(baseline.Keys, files.Keys);
            foreach (var (name, bytes) in baseline)
            {
                var actual = files[name];
                if (id != baselineId && !name.EndsWith(".parquet", StringComparison.Ordinal))
                {
                    actual = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(actual).Replace(id, baselineId, StringComparison.Ordinal));
                }

                Assert.True(bytes.AsSpan().SequenceEqual(actual), $"releases/{id}/{name} differs from the uninterrupted run's");
            }
        }
    }

    /// <summary>Every scan index under the output opens and verifies (the checksum of every segment); returns how many there are.</summary>
    private static async Task<int> AssertIndexesVerifyAsync(string outputFolder, string when)
    {
        if (!Directory.Exists(outputFolder)) return 0;
        var count = 0;
        foreach (var pointer in Directory.EnumerateFiles(outputFolder, ScanIndexStore.PointerFile, SearchOption.AllDirectories))
        {
            var (header, _, problem) = await ScanIndexStore.TryOpenAsync(Path.GetDirectoryName(pointer)!, CancellationToken.None);
            Assert.True(problem is null && header is not null, $"{when}: the index at {pointer} does not verify: {problem}");
            count++;
        }

        return count;
    }
}
