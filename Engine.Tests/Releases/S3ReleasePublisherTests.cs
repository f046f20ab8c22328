using System.Security.Cryptography;
using Amazon.S3.Model;
using Nccid.Batch.Releases;
using Nccid.Batch.Synthetic;
using Nccid.Batch.Tests.Fixtures;
using Nccid.Batch.Tests.Tables;

namespace Nccid.Batch.Tests.Releases;

/// <summary>A release built locally and published to the S3-compatible server.</summary>
public sealed class S3ReleasePublisherTests(S3ServerFixture server) : IClassFixture<S3ServerFixture>
{
    [Fact]
    public async Task Published_release_lists_the_local_files_with_the_same_SHA256_and_LATEST_names_it()
    {
        using var temp = new TempDirectory();
        var release = await BuildLocalReleaseAsync(temp);
        var bucket = await server.CreateBucketAsync("release");

        // Parts of 32 KiB make the larger tables go up in several parts.
        using var publisher = server.OpenPublisher(bucket, "nccid", multipartThreshold: 32 * 1024, partSize: 32 * 1024);
        var location = (await publisher.PublishAsync(release.Directory!, release.ReleaseId, CancellationToken.None)).Location;

        Assert.Equal($"s3://{bucket}/nccid/releases/{release.ReleaseId}", location);
        var local = LocalFiles(release.Directory!);
        Assert.Contains(local.Keys, k => new FileInfo(Path.Combine(release.Directory!, k)).Length > 32 * 1024);
        var remote = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var prefix = $"nccid/releases/{release.ReleaseId}/";
        foreach (var key in await ListAsync(bucket, prefix)) remote[key[prefix.Length..]] = Sha256(await server.GetAsync(bucket, key));
        Assert.Equal(local, remote);
        Assert.Equal(release.ReleaseId + "\n", System.Text.Encoding.UTF8.GetString(await server.GetAsync(bucket, "nccid/releases/LATEST")));
    }

    [Fact]
    public async Task Leftovers_of_a_failed_upload_are_removed_and_a_published_release_is_not_overwritten()
    {
        using var temp = new TempDirectory();
        var release = await BuildLocalReleaseAsync(temp);
        var bucket = await server.CreateBucketAsync("leftovers");
        var prefix = $"releases/{release.ReleaseId}/";
        await server.PutAsync(bucket, prefix + "instances/part-stale.parquet", [1, 2, 3]);
        await server.PutAsync(bucket, prefix + "report.html", [4]);

        using var publisher = server.OpenPublisher(bucket, string.Empty, multipartThreshold: 16 * 1024 * 1024, partSize: 16 * 1024 * 1024);
        await publisher.PublishAsync(release.Directory!, release.ReleaseId, CancellationToken.None);

        var keys = (await ListAsync(bucket, prefix)).Select(k => k[prefix.Length..]).ToList();
        Assert.Equal(LocalFiles(release.Directory!).Keys, keys);
        Assert.Equal(Sha256(File.ReadAllBytes(Path.Combine(release.Directory!, "report.html"))), Sha256(await server.GetAsync(bucket, prefix + "report.html")));
        var again = await Assert.ThrowsAsync<InvalidOperationException>(() => publisher.PublishAsync(release.Directory!, release.ReleaseId, CancellationToken.None));
        Assert.Contains("already published", again.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_object_that_reads_back_wrong_stops_the_publish_before_the_manifest_and_the_next_run_starts_clean()
    {
        using var temp = new TempDirectory();
        var release = await BuildLocalReleaseAsync(temp);
        var bucket = await server.CreateBucketAsync("corrupt");
        var prefix = $"releases/{release.ReleaseId}/";
        using (var proxy = new FaultProxy(server.Endpoint, (path, _) => path == bucket + "/" + prefix + "report.html" ? ProxyFault.Corrupt : ProxyFault.None))
        using (var throughProxy = server.OpenPublisher(bucket, string.Empty, 16 * 1024 * 1024, 16 * 1024 * 1024, proxy.Endpoint))
        {
            var error = await Assert.ThrowsAsync<InvalidDataException>(() => throughProxy.PublishAsync(release.Directory!, release.ReleaseId, CancellationToken.None));
            Assert.StartsWith($"s3://{bucket}/{prefix}report.html ", error.Message, StringComparison.Ordinal);
            Assert.Equal(1, proxy.Injected(ProxyFault.Corrupt));
        }

        var leftovers = await ListAsync(bucket, string.Empty);
        Assert.Contains(prefix + "report.html", leftovers);
        Assert.DoesNotContain(prefix + "manifest.json", leftovers);
        Assert.DoesNotContain("releases/LATEST", leftovers);

        using var publisher = server.OpenPublisher(bucket, string.Empty, 16 * 1024 * 1024, 16 * 1024 * 1024);
        await publisher.PublishAsync(release.Directory!, release.ReleaseId, CancellationToken.None);
        var remote = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in await ListAsync(bucket, prefix)) remote[key[prefix.Length..]] = Sha256(await server.GetAsync(bucket, key));
        Assert.Equal(LocalFiles(release.Directory!), remote);
    }

    [Fact]
    public async Task A_job_with_an_s3_output_publishes_the_files_of_the_same_job_released_to_a_folder()
    {
        using var temp = new TempDirectory();
        var release = await BuildLocalReleaseAsync(temp);
        var bucket = await server.CreateBucketAsync("job-output");
        var jobFile = ReleasedCorpusFixture.WriteJob(Path.Combine(temp.Path, "s3-job.json"), Path.Combine(temp.Path, "corpus"), $"s3://{bucket}/nccid");

        var published = await ReleasedCorpusFixture.Run(jobFile, openPublisher: o => server.OpenPublisher(o.Bucket, o.Prefix, 64 * 1024, 64 * 1024));

        Assert.Equal(release.ReleaseId, published.ReleaseId);
        Assert.Equal($"s3://{bucket}/nccid/releases/{release.ReleaseId}", published.Directory);
        Assert.Equal(release.TableRows, published.TableRows);
        var prefix = $"nccid/releases/{release.ReleaseId}/";
        var remote = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in await ListAsync(bucket, prefix)) remote[key[prefix.Length..]] = Sha256(await server.GetAsync(bucket, key));
        var local = LocalFiles(release.Directory!);
        Assert.Equal(local.Keys, remote.Keys);

        // Only the manifest names the job's output location; every table part and document is byte for byte the same.
        Assert.Equal(["manifest.json"], local.Keys.Where(k => local[k] != remote[k]));
        Assert.Equal(release.ReleaseId + "\n", System.Text.Encoding.UTF8.GetString(await server.GetAsync(bucket, "nccid/releases/LATEST")));
        Assert.Equal(File.ReadAllText(Path.Combine(temp.Path, "out", "releases", "state", "splits.json")),
            System.Text.Encoding.UTF8.GetString(await server.GetAsync(bucket, "nccid/releases/state/splits.json")));

        // A second run of the same day takes the next id, as a folder output does.
        var second = await ReleasedCorpusFixture.Run(jobFile, openPublisher: o => server.OpenPublisher(o.Bucket, o.Prefix, 64 * 1024, 64 * 1024));
        Assert.Equal(release.ReleaseId + "-2", second.ReleaseId);
    }

    [Fact]
    public async Task With_a_work_directory_the_next_release_reads_only_what_changed_and_copies_the_unchanged_parts_inside_the_bucket()
    {
        using var temp = new TempDirectory();
        var (corpus, extra, bucket, work, jobFile, open) = await WorkDirectoryJobAsync(temp, "work-directory", patients: 30, seed: 3);

        var first = await ReleasedCorpusFixture.Run(jobFile, openPublisher: open);
        Assert.Equal(0, first.Publication!.FilesCopied);
        Assert.Equal(first.Publication.FilesUploaded, (await ListAsync(bucket, $"nccid/releases/{first.ReleaseId}/")).Count);
        var listed = first.Index!.ParsedNew;
        Assert.True(listed > 0);

        var added = IncrementalReleaseTests.AddFiles(extra, corpus, skip: 0, take: 4);

        // A part of the first release that has gone from the bucket is uploaded again, not copied.
        var firstParts = ManifestParts(await server.GetAsync(bucket, $"nccid/releases/{first.ReleaseId}/manifest.json"));
        var gone = firstParts.Keys.First(p => p.StartsWith("instances/", StringComparison.Ordinal));
        await server.Client.DeleteObjectAsync(bucket, $"nccid/releases/{first.ReleaseId}/{gone}");

        // A release built here whose upload never finished: LATEST does not name it, so its id is taken again and what it
        // left in the bucket is removed.
        var unfinished = Path.Combine(work, "releases", first.ReleaseId + "-2");
        Directory.CreateDirectory(unfinished);
        File.WriteAllText(Path.Combine(unfinished, "manifest.json"), "{}");
        await server.PutAsync(bucket, $"nccid/releases/{first.ReleaseId}-2/instances/part-stale.parquet", [1, 2, 3]);

        var second = await ReleasedCorpusFixture.Run(jobFile, openPublisher: open);
        Assert.Equal(first.ReleaseId + "-2", second.ReleaseId);
        Assert.Equal("incremental", second.Index!.Mode);
        Assert.Equal(added, second.Index.ParsedNew);
        Assert.Equal(listed, second.Index.Reused);
        Assert.True(second.Index.TablePartsTakenOver > 0, "no part was taken over from the work directory's release");

        // The bucket holds byte for byte the release the work directory built, which is all it keeps of the releases.
        var kept = Path.Combine(work, "releases", second.ReleaseId);
        var prefix = $"nccid/releases/{second.ReleaseId}/";
        var remote = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in await ListAsync(bucket, prefix)) remote[key[prefix.Length..]] = Sha256(await server.GetAsync(bucket, key));
        Assert.Equal(LocalFiles(kept), remote);
        Assert.Equal([second.ReleaseId], Directory.GetDirectories(Path.Combine(work, "releases")).Where(d => File.Exists(Path.Combine(d, "manifest.json"))).Select(Path.GetFileName));
        Assert.Equal(second.ReleaseId + "\n", File.ReadAllText(Path.Combine(work, "releases", "LATEST")));

        // Every part the first release listed with the same bytes was copied, but the one that had gone.
        var secondParts = ManifestParts(await server.GetAsync(bucket, prefix + "manifest.json"));
        var available = firstParts.Where(p => p.Key != gone).Select(p => p.Value).ToHashSet();
        var copied = secondParts.Values.Count(available.Contains);
        Assert.InRange(copied, 1, secondParts.Count - 1);
        Assert.Contains(firstParts[gone], secondParts.Values);
        Assert.Equal(copied, second.Publication!.FilesCopied);
        Assert.Equal(remote.Count - copied, second.Publication.FilesUploaded);
        Assert.Equal(first.ReleaseId, second.Publication.CopiedFrom);
        Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"; copied {copied:N0} unchanged table parts ("), second.Describe(), StringComparison.Ordinal);

        // The same files released afresh to a folder give the same table parts.
        var rebuilt = await ReleasedCorpusFixture.Run(ReleasedCorpusFixture.WriteJob(Path.Combine(temp.Path, "folder-job.json"), corpus, Path.Combine(temp.Path, "rebuild")));
        var tables = LocalFiles(rebuilt.Directory!).Where(f => f.Key.EndsWith(".parquet", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(tables);
        Assert.Equal(tables, remote.Where(f => f.Key.EndsWith(".parquet", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_cluster_release_with_a_work_directory_shards_only_what_changed_and_publishes_what_a_single_host_would()
    {
        using var temp = new TempDirectory();
        var (corpus, extra, bucket, work, jobFile, open) = await WorkDirectoryJobAsync(temp, "cluster-work", patients: 20, seed: 4);
        var job = ReleaseJobLoader.Load(jobFile);

        async Task<(ReleaseShardPlan Plan, ReleaseResult Release)> ClusterRun(string staging, DateTimeOffset created)
        {
            var plan = await ReleaseShards.PlanAsync(job, ReleaseBuilder.HashJobFile(jobFile), ReleasedCorpusFixture.ReleaseDate,
                created, "test", Path.Combine(temp.Path, staging), shardSize: 25, CancellationToken.None);
            foreach (var shard in plan.Shards) await ReleaseShards.RunShardAsync(Path.Combine(temp.Path, staging), shard.Number, null, null, CancellationToken.None);
            // Not published yet: an assembly starting again after a host died assembles.
            Assert.Null(await ReleaseShards.FindPublishedAsync(Path.Combine(temp.Path, staging), CancellationToken.None, open));
            var release = await ReleaseShards.AssembleAsync(Path.Combine(temp.Path, staging), TimeProvider.System, CancellationToken.None, open);
            // Published: one that died before recording it finds the release in the bucket rather than publishing it again.
            Assert.Equal(release.ReleaseId, await ReleaseShards.FindPublishedAsync(Path.Combine(temp.Path, staging), CancellationToken.None, open));
            return (plan, release);
        }

        var (firstPlan, first) = await ClusterRun("staging-1", new DateTimeOffset(2021, 6, 1, 12, 0, 0, TimeSpan.Zero));
        Assert.Equal(0, firstPlan.Unchanged);
        Assert.True(firstPlan.Shards.Count > 1, $"{firstPlan.Shards.Count} shards");
        Assert.Equal(0, first.Publication!.FilesCopied);

        var added = IncrementalReleaseTests.AddFiles(extra, corpus, skip: 0, take: 4);
        var (nextPlan, next) = await ClusterRun("staging-2", new DateTimeOffset(2021, 6, 1, 13, 0, 0, TimeSpan.Zero));
        Assert.Equal(added, nextPlan.Objects);
        Assert.Equal(firstPlan.Objects, nextPlan.Unchanged);
        Assert.Equal("incremental", next.Index!.Mode);
        Assert.Equal(added, next.Index.ParsedNew);
        Assert.Equal(firstPlan.Objects, next.Index.Reused);
        Assert.True(next.Publication!.FilesCopied > 0, "no unchanged part was copied inside the bucket");

        // The bucket holds the release the work directory built, and its tables are those of a single host's release.
        var prefix = $"nccid/releases/{next.ReleaseId}/";
        var remote = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in await ListAsync(bucket, prefix)) remote[key[prefix.Length..]] = Sha256(await server.GetAsync(bucket, key));
        Assert.Equal(LocalFiles(Path.Combine(work, "releases", next.ReleaseId)), remote);
        var single = await ReleasedCorpusFixture.Run(ReleasedCorpusFixture.WriteJob(Path.Combine(temp.Path, "folder-job.json"), corpus, Path.Combine(temp.Path, "single")));
        var tables = LocalFiles(single.Directory!).Where(f => f.Key.EndsWith(".parquet", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(tables);
        Assert.Equal(tables, remote.Where(f => f.Key.EndsWith(".parquet", StringComparison.Ordinal)));
    }

    /// <summary>
    /// A corpus and a few patients' spare files (<see cref="IncrementalReleaseTests.CorpusWithExtra"/>), a new bucket, and a
    /// job that releases the corpus to the bucket with a work directory; with the publisher to open for it.
    /// </summary>
    private async Task<(string Corpus, string Extra, string Bucket, string Work, string JobFile, Func<Nccid.Batch.Storage.S3StoreOptions, S3ReleasePublisher> Open)>
        WorkDirectoryJobAsync(TempDirectory temp, string bucketHint, int patients, ulong seed)
    {
        var (corpus, extra) = IncrementalReleaseTests.CorpusWithExtra(temp.Path, patients, seed, extraPatients: 2, extraSeed: seed + 100);
        var bucket = await server.CreateBucketAsync(bucketHint);
        var work = Path.Combine(temp.Path, "work");
        var jobFile = ReleasedCorpusFixture.WriteJob(Path.Combine(temp.Path, "s3-job.json"), corpus, $"s3://{bucket}/nccid",
            extra: ",\n  \"workDirectory\": " + System.Text.Json.JsonSerializer.Serialize(work));
        return (corpus, extra, bucket, work, jobFile, o => server.OpenPublisher(o.Bucket, o.Prefix, 64 * 1024, 64 * 1024));
    }

    /// <summary>The table parts a manifest lists: path, then SHA-256 and size.</summary>
    private static Dictionary<string, (string Sha256, long Bytes)> ManifestParts(byte[] manifest)
    {
        using var document = System.Text.Json.JsonDocument.Parse(manifest);
        var parts = new Dictionary<string, (string, long)>(StringComparer.Ordinal);
        foreach (var table in document.RootElement.GetProperty("tables").EnumerateObject())
        {
            foreach (var file in table.Value.GetProperty("files").EnumerateArray())
            {
                parts[file.GetProperty("path").GetString()!] = (file.GetProperty("sha256").GetString()!, file.GetProperty("bytes").GetInt64());
            }
        }

        return parts;
    }

    private static async Task<ReleaseResult> BuildLocalReleaseAsync(TempDirectory temp)
    {
        var corpus = Path.Combine(temp.Path, "corpus");
        SyntheticCorpusGenerator.Generate(corpus, new SyntheticCorpusOptions { Patients = 30, Seed = 3 }, CancellationToken.None);
        var job = ReleasedCorpusFixture.WriteJob(Path.Combine(temp.Path, "job.json"), corpus, Path.Combine(temp.Path, "out"));
        var release = await ReleasedCorpusFixture.Run(job);
        Assert.True(release.Published);
        return release;
    }

    private static SortedDictionary<string, string> LocalFiles(string directory)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(directory, "*", SearchOption.AllDirectories))
        {
            files[Path.GetRelativePath(directory, file).Replace(Path.DirectorySeparatorChar, '/')] = Sha256(File.ReadAllBytes(file));
        }

        return files;
    }

    private async Task<List<string>> ListAsync(string bucket, string prefix)
    {
        var response = await server.Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = prefix });
        return (response.S3Objects ?? []).Select(o => o.Key).Order(StringComparer.Ordinal).ToList();
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
