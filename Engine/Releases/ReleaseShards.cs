using System.Globalization;
using System.Text;
using System.Text.Json;
using Nccid.Batch.Audit;
using Nccid.Batch.Clinical;
using Nccid.Batch.Index;
using Nccid.Batch.Pipeline;
using Nccid.Batch.Storage;
using Nccid.Batch.Tables;

namespace Nccid.Batch.Releases;

/// <summary>
/// A release in three phases, for hosts that share a folder (the release's staging area): <see cref="PlanAsync"/> splits
/// what the release must read into shards, <see cref="RunShardAsync"/> scans and audits one shard (per-instance rules)
/// into a part of scan index entries, and <see cref="AssembleAsync"/> runs the release as <see cref="ReleaseBuilder"/>
/// does, taking the entries of the objects the shards read from their parts. The published release is the same bytes as
/// a single-host run of the job.
/// </summary>
/// <remarks>
/// Like a single host's, a cluster release keeps a scan index beside its releases (the output folder, or the work
/// directory of an <c>s3://</c> output, which every host must then reach by the same path): the plan puts into shards
/// only the objects that index does not hold as they are now, and the assembly takes the rest from it. An object that
/// changed after its shard read it is read again by the assembly.
/// Shards follow the submitting centre (from the clinical record of the folder's pseudonym, or the drop-zone site);
/// a centre with more objects than the shard size is split by a hash of the object key. The same listing, index and
/// clinical data always give the same shards. A shard's part appears complete or not at all, so a shard may run again
/// (after its host died) and a part is never half-read.
/// </remarks>
public static class ReleaseShards
{
    /// <summary>Objects per shard unless the caller says otherwise.</summary>
    public const int DefaultShardSize = 5000;

    private const string ShardsFolder = "shards";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    private static readonly JsonSerializerOptions Lines = new();

    /// <summary>
    /// Lists the source, splits the objects the release must read into shards and writes the plan into
    /// <paramref name="stagingArea"/> (created; must be new or empty).
    /// </summary>
    /// <param name="job">The loaded, validated release job.</param>
    /// <param name="jobSha256">SHA-256 of the job file, for the manifest.</param>
    /// <param name="releaseDate">The release's date.</param>
    /// <param name="createdUtc">The release's time, for the manifest.</param>
    /// <param name="engineVersion">The engine's version, for the manifest.</param>
    /// <param name="stagingArea">A folder every host of the cluster reaches by this path.</param>
    /// <param name="shardSize">
    /// Objects per shard: a centre with more is split into ceil(objects / size) shards of about this size, each a run of
    /// consecutive objects in listing order.
    /// </param>
    /// <param name="cancellationToken">Stops the listing.</param>
    /// <param name="time">The clock an S3 Inventory's age is judged by (null: the system clock).</param>
    public static async Task<ReleaseShardPlan> PlanAsync(ReleaseJob job, string jobSha256, DateOnly releaseDate, DateTimeOffset createdUtc, string engineVersion,
        string stagingArea, int shardSize, CancellationToken cancellationToken, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentOutOfRangeException.ThrowIfLessThan(shardSize, 1);
        if (File.Exists(Path.Combine(stagingArea, ReleaseShardPlan.FileName))) throw new IOException($"{stagingArea} already holds a release plan.");
        var shardsFolder = Path.Combine(stagingArea, ShardsFolder);
        Directory.CreateDirectory(shardsFolder);

        // The plan needs each patient's centre, not the cleaning changes (the assembly writes those).
        var centreOfPseudonym = new Dictionary<string, string>(StringComparer.Ordinal);
        await ClinicalLoader.LoadAsync(job.ClinicalSource ?? job.Source, ClinicalLoadOptions.Default, (record, _, _) =>
        {
            if (record.SubmittingCentre is not null) centreOfPseudonym[record.Pseudonym] = record.SubmittingCentre;
            return ValueTask.CompletedTask;
        }, cancellationToken).ConfigureAwait(false);

        // The objects to read wait in a spool file per centre, in listing order, not in memory: a first release of millions
        // of objects is planned in the same memory as one of thousands.
        var byCentre = new SortedDictionary<string, CentreSpool>(StringComparer.Ordinal);
        long toRead = 0;
        void Read(StoredObject stored)
        {
            var centre = CentreOf(stored.Key, centreOfPseudonym);
            if (!byCentre.TryGetValue(centre, out var spool)) byCentre[centre] = spool = new CentreSpool(Path.Combine(shardsFolder, $"centre-{byCentre.Count}.spool"));
            spool.Add(stored);
            toRead++;
        }

        List<ReleaseShard> shards;
        long unchanged = 0;
        try
        {
            // The job's S3 Inventory, when it has one, lists the source here as in a single-host release.
            var store = StorageLocation.Open(job.Source, job.Inventory?.ToOptions(), time ?? TimeProvider.System);
            var options = ReleaseBuilder.ScanOptionsOf(job);
            try
            {
                // The shards read only what the scan index kept beside the job's releases does not hold as it is now (all of
                // it without an index); the assembly takes the rest from the index, as a single host's release would.
                if (ReleaseBuilder.KeptReleasesRoot(job) is { } kept)
                {
                    var profile = AuditProfileLoader.Load(job.AuditProfile);
                    var session = ReleaseIndex.Open(kept, store, options, job.HeaderJson, profile, releaseDate, full: false,
                        ReleaseBuilder.ChunkingOf(job, store, profile, releaseDate, new ParquetPartOptions(), null));
                    unchanged = await session.SelectReadsAsync(store, options, Read, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await foreach (var stored in store.ListAsync(cancellationToken).ConfigureAwait(false))
                    {
                        if (ScanPipeline<AuditedInstance>.Includes(options, stored.Key)) Read(stored);
                    }
                }
            }
            finally
            {
                (store as IDisposable)?.Dispose();
            }

            shards = [];
            foreach (var (centre, spool) in byCentre)
            {
                spool.Close();
                var buckets = (int)((spool.Count + shardSize - 1) / shardSize);
                var first = shards.Count;
                for (var b = 0; b < buckets; b++) shards.Add(new ReleaseShard(first + b, centre, b, 0));
                if (buckets == 1)
                {
                    File.Move(spool.Path, ObjectsFile(stagingArea, first), overwrite: true);
                    shards[first] = shards[first] with { Objects = spool.Count };
                    continue;
                }

                // A larger centre is split into runs of consecutive objects: the assembly then merges only the few parts whose
                // runs span the object it is at, however many there are.
                var counts = await SplitAsync(spool.Path, spool.Count, Enumerable.Range(first, buckets).Select(n => ObjectsFile(stagingArea, n)).ToArray(), cancellationToken)
                    .ConfigureAwait(false);
                for (var b = 0; b < buckets; b++) shards[first + b] = shards[first + b] with { Objects = counts[b] };
                File.Delete(spool.Path);
            }
        }
        finally
        {
            foreach (var spool in byCentre.Values) spool.Dispose();
        }

        var plan = new ReleaseShardPlan
        {
            Job = job, JobSha256 = jobSha256, ReleaseDate = releaseDate, CreatedUtc = createdUtc, EngineVersion = engineVersion, Objects = toRead, Unchanged = unchanged,
            Shards = shards,
        };
        WriteAtomically(Path.Combine(stagingArea, ReleaseShardPlan.FileName), JsonSerializer.SerializeToUtf8Bytes(plan, Json));
        return plan;
    }

    /// <summary>Reads the plan in <paramref name="stagingArea"/>.</summary>
    /// <exception cref="FileNotFoundException">The folder holds no plan.</exception>
    public static ReleaseShardPlan LoadPlan(string stagingArea)
    {
        var path = Path.Combine(stagingArea, ReleaseShardPlan.FileName);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no release plan here (was the folder shared with every host?).", path);
        return JsonSerializer.Deserialize<ReleaseShardPlan>(File.ReadAllBytes(path), Json) ?? throw new InvalidDataException(path + ": empty plan.");
    }

    /// <summary>Whether shard <paramref name="shard"/> has written its part.</summary>
    public static bool IsDone(string stagingArea, int shard) => File.Exists(CountsFile(stagingArea, shard));

    /// <summary>Scans and audits shard <paramref name="shard"/> into its part; running it again rewrites the same part.</summary>
    /// <param name="stagingArea">The release's staging area.</param>
    /// <param name="shard">The shard's number.</param>
    /// <param name="wrapSource">Wraps the source store (tests slow it down), or null.</param>
    /// <param name="onStarted">Receives the live counters.</param>
    /// <param name="cancellationToken">Stops the shard; no part is written then.</param>
    public static async Task<ScanCounts> RunShardAsync(string stagingArea, int shard, Func<IObjectStore, IObjectStore>? wrapSource, Action<ScanProgress>? onStarted,
        CancellationToken cancellationToken)
    {
        var plan = LoadPlan(stagingArea);
        if (shard < 0 || shard >= plan.Shards.Count) throw new ArgumentOutOfRangeException(nameof(shard), shard, $"the plan in {stagingArea} has {plan.Shards.Count} shards.");
        var job = plan.Job;
        var listed = await ReadLinesAsync(ObjectsFile(stagingArea, shard), cancellationToken).ConfigureAwait(false);

        var profile = AuditProfileLoader.Load(job.AuditProfile);
        var source = StorageLocation.Parse(job.Source);
        try
        {
            IObjectStore store = new ShardStore(source, listed);
            if (wrapSource is not null) store = wrapSource(store);
            var counts = await ShardPart.WriteAsync(store, PartFile(stagingArea, shard), profile, ReleaseBuilder.ScanOptionsOf(job),
                plan.ReleaseDate, job.HeaderJson, onStarted, cancellationToken).ConfigureAwait(false);
            WriteAtomically(CountsFile(stagingArea, shard), JsonSerializer.SerializeToUtf8Bytes(counts, Json));
            return counts;
        }
        finally
        {
            (source as IDisposable)?.Dispose();
        }
    }

    /// <summary>
    /// Assembles and publishes the release once every shard is done: the parts merged in listing order, the collection
    /// rules, the clinical join, the manifest, verification, and publication as <see cref="ReleaseBuilder"/> does it.
    /// </summary>
    /// <param name="stagingArea">The release's staging area.</param>
    /// <param name="time">The clock, for elapsed times only.</param>
    /// <param name="cancellationToken">Stops the run; nothing is published then.</param>
    /// <param name="openPublisher">Opens the publisher for an <c>s3://</c> output (null: through the SDK's standard chain).</param>
    /// <exception cref="InvalidOperationException">A shard has not written its part.</exception>
    public static async Task<ReleaseResult> AssembleAsync(string stagingArea, TimeProvider time, CancellationToken cancellationToken,
        Func<S3StoreOptions, S3ReleasePublisher>? openPublisher = null)
    {
        var plan = LoadPlan(stagingArea);
        var missing = plan.Shards.Where(s => !IsDone(stagingArea, s.Number)).Select(s => s.Number.ToString(CultureInfo.InvariantCulture)).ToArray();
        if (missing.Length > 0) throw new InvalidOperationException($"{stagingArea}: shards {string.Join(", ", missing)} are not done; the release cannot be assembled yet.");
        var parts = plan.Shards.Select(s => PartFile(stagingArea, s.Number)).ToArray();
        return await ReleaseBuilder.RunAssemblyAsync(plan.Job, plan.JobSha256, plan.ReleaseDate, plan.CreatedUtc, plan.EngineVersion, time,
            store => new ShardPart.Entries(parts, ListingOrder.For(store)), cancellationToken, openPublisher).ConfigureAwait(false);
    }

    /// <summary>
    /// The id of a release already published from this plan (same job hash and creation time in its manifest), or null.
    /// An assembly that died after publishing is not published a second time. For an <c>s3://</c> output, the release
    /// the bucket's <c>releases/LATEST</c> names is the one looked at.
    /// </summary>
    /// <param name="stagingArea">The release's staging area.</param>
    /// <param name="cancellationToken">Stops the lookup.</param>
    /// <param name="openPublisher">Opens the publisher for an <c>s3://</c> output (null: through the SDK's standard chain).</param>
    public static async Task<string?> FindPublishedAsync(string stagingArea, CancellationToken cancellationToken,
        Func<S3StoreOptions, S3ReleasePublisher>? openPublisher = null)
    {
        var plan = LoadPlan(stagingArea);
        if (StorageLocation.IsS3(plan.Job.Output))
        {
            using var publisher = (openPublisher ?? (static o => new S3ReleasePublisher(o)))(S3StoreOptions.Parse(plan.Job.Output));
            var scratch = Directory.CreateTempSubdirectory("nccid-published-").FullName;
            try
            {
                if (!await publisher.TryDownloadAsync("LATEST", Path.Combine(scratch, "LATEST"), cancellationToken).ConfigureAwait(false)) return null;
                var latest = (await File.ReadAllTextAsync(Path.Combine(scratch, "LATEST"), cancellationToken).ConfigureAwait(false)).Trim();
                var manifest = Path.Combine(scratch, ReleaseManifest.FileName);
                if (latest.Length == 0 || !await publisher.TryDownloadAsync(latest + "/" + ReleaseManifest.FileName, manifest, cancellationToken).ConfigureAwait(false)) return null;
                return IsFrom(plan, manifest) ? latest : null;
            }
            finally
            {
                Directory.Delete(scratch, recursive: true);
            }
        }

        var releases = Path.Combine(plan.Job.Output, "releases");
        if (!Directory.Exists(releases)) return null;
        foreach (var folder in Directory.GetDirectories(releases).Order(StringComparer.Ordinal))
        {
            var manifest = Path.Combine(folder, ReleaseManifest.FileName);
            if (File.Exists(manifest) && IsFrom(plan, manifest)) return Path.GetFileName(folder);
        }

        return null;
    }

    /// <summary>Whether the release manifest at <paramref name="manifest"/> is of <paramref name="plan"/>'s job and time.</summary>
    private static bool IsFrom(ReleaseShardPlan plan, string manifest)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(manifest));
        var root = document.RootElement;
        var created = plan.CreatedUtc.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return root.TryGetProperty("job_sha256", out var sha) && sha.GetString() == plan.JobSha256
            && root.TryGetProperty("created_utc", out var time) && time.GetString() == created;
    }

    /// <summary>The centre a key is sharded by: the clinical record's centre of its folder's pseudonym, else the drop-zone site, else "unknown".</summary>
    private static string CentreOf(string key, Dictionary<string, string> centreOfPseudonym)
    {
        if (SubmissionLayout.FolderPseudonym(key) is { } pseudonym && centreOfPseudonym.TryGetValue(pseudonym, out var centre)) return centre;
        return SubmissionLayout.UploadSite(key) ?? "unknown";
    }

    private static string Name(int shard) => shard.ToString("D5", CultureInfo.InvariantCulture);

    private static string ObjectsFile(string stagingArea, int shard) => Path.Combine(stagingArea, ShardsFolder, Name(shard) + ".objects.jsonl");

    /// <summary>Where the part of a shard goes: its files start with this path (<see cref="ShardPart"/>).</summary>
    internal static string PartFile(string stagingArea, int shard) => Path.Combine(stagingArea, ShardsFolder, Name(shard) + ".part");

    private static string CountsFile(string stagingArea, int shard) => Path.Combine(stagingArea, ShardsFolder, Name(shard) + ".counts.json");

    /// <summary>The objects of one centre that the release reads, one JSON line each, in listing order.</summary>
    private sealed class CentreSpool(string path) : IDisposable
    {
        private StreamWriter? _writer = new(path, append: false, new UTF8Encoding(false));

        public string Path { get; } = path;

        public long Count { get; private set; }

        public void Add(StoredObject listed)
        {
            _writer!.WriteLine(JsonSerializer.Serialize(listed, Lines));
            Count++;
        }

        public void Close()
        {
            _writer?.Dispose();
            _writer = null;
        }

        public void Dispose()
        {
            Close();
            if (File.Exists(Path)) File.Delete(Path);
        }
    }

    /// <summary>
    /// Splits the <paramref name="lines"/> lines of a spool file into runs of consecutive lines, one per bucket, their sizes
    /// differing by one at most; returns each bucket's count.
    /// </summary>
    private static async Task<long[]> SplitAsync(string spool, long lines, string[] buckets, CancellationToken cancellationToken)
    {
        var counts = new long[buckets.Length];
        using (var reader = new StreamReader(spool))
        {
            for (var b = 0; b < buckets.Length; b++)
            {
                // Bucket b takes lines [b * lines / buckets, (b + 1) * lines / buckets).
                counts[b] = ((b + 1) * lines / buckets.Length) - (b * lines / buckets.Length);
                await using var writer = new StreamWriter(buckets[b] + ".tmp", append: false, new UTF8Encoding(false));
                for (var n = 0L; n < counts[b]; n++)
                {
                    var line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) ?? throw new InvalidDataException($"{spool}: ends after {(b * lines / buckets.Length) + n} of {lines} lines.");
                    await writer.WriteLineAsync(line.AsMemory(), cancellationToken).ConfigureAwait(false);
                }
            }
        }

        for (var b = 0; b < buckets.Length; b++) File.Move(buckets[b] + ".tmp", buckets[b], overwrite: true);
        return counts;
    }

    private static async Task<List<StoredObject>> ReadLinesAsync(string path, CancellationToken cancellationToken)
    {
        var result = new List<StoredObject>();
        using var reader = new StreamReader(path);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            result.Add(JsonSerializer.Deserialize<StoredObject>(line, Lines) ?? throw new InvalidDataException(path + ": empty line."));
        }

        return result;
    }

    private static void WriteAtomically(string path, byte[] content)
    {
        var temp = path + ".tmp-" + Guid.NewGuid().ToString("N");
        File.WriteAllBytes(temp, content);
        File.Move(temp, path, overwrite: true);
    }
}
