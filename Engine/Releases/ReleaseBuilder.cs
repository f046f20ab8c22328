using System.Globalization;
using System.Security.Cryptography;
using Nccid.Batch.Audit;
using Nccid.Batch.Clinical;
using Nccid.Batch.Index;
using Nccid.Batch.Pipeline;
using Nccid.Batch.Storage;
using Nccid.Batch.Tables;

namespace Nccid.Batch.Releases;

/// <summary>
/// Builds a release: audit and scan in one pass, clinical data cleaned and joined, studies, series and the
/// imaging–outcomes join, a manifest; verified in a staging folder and published by a single rename, with
/// <c>releases/LATEST</c> written last. A failed, killed or cancelled run leaves nothing visible.
/// </summary>
public static class ReleaseBuilder
{
    /// <summary>Runs <paramref name="job"/>.</summary>
    /// <param name="job">The loaded, validated job.</param>
    /// <param name="jobSha256">SHA-256 of the job file, for the manifest.</param>
    /// <param name="releaseDate">The run's date (release id, future-date rules, orphan ages).</param>
    /// <param name="createdUtc">The run's time, written in the manifest only.</param>
    /// <param name="engineVersion">The engine's version, for the manifest.</param>
    /// <param name="time">The clock, for elapsed times only.</param>
    /// <param name="onStarted">Receives the scan's live counters.</param>
    /// <param name="cancellationToken">Stops the run; nothing is published then.</param>
    /// <param name="openPublisher">
    /// Opens the publisher for an <c>s3://</c> output (null: <see cref="S3ReleasePublisher"/> through the SDK's standard chain).
    /// </param>
    /// <param name="fullScan">Read every file, ignoring the scan index kept in <c>&lt;output&gt;/index/</c> (which is rebuilt).</param>
    /// <remarks>
    /// An <c>s3://</c> output is built in a local folder exactly as a folder output is, then uploaded by
    /// <see cref="S3ReleasePublisher"/>; the split state is kept in the bucket at <c>releases/state/splits.json</c>. The
    /// folder is the job's <see cref="ReleaseJob.WorkDirectory"/>, kept between runs (with its scan index and latest
    /// release, so the next release reads only what changed), or a temporary one.
    /// </remarks>
    public static async Task<ReleaseResult> RunAsync(ReleaseJob job, string jobSha256, DateOnly releaseDate, DateTimeOffset createdUtc, string engineVersion,
        TimeProvider time, Action<ScanProgress>? onStarted, CancellationToken cancellationToken, Func<S3StoreOptions, S3ReleasePublisher>? openPublisher = null,
        bool fullScan = false)
    {
        ArgumentNullException.ThrowIfNull(job);
        using var publisher = StorageLocation.IsS3(job.Output) ? (openPublisher ?? (static o => new S3ReleasePublisher(o)))(S3StoreOptions.Parse(job.Output)) : null;
        var temporary = publisher is not null && job.WorkDirectory is null;
        var localOutput = publisher is null ? job.Output : job.WorkDirectory ?? Directory.CreateTempSubdirectory("nccid-release-").FullName;
        try
        {
            return await RunAsync(job, jobSha256, releaseDate, createdUtc, engineVersion, time, onStarted, localOutput, publisher, null, fullScan, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (temporary) Directory.Delete(localOutput, recursive: true);
        }
    }

    /// <summary>
    /// Runs <paramref name="job"/> as <see cref="RunAsync(ReleaseJob, string, DateOnly, DateTimeOffset, string, TimeProvider, Action{ScanProgress}?, CancellationToken, Func{S3StoreOptions, S3ReleasePublisher}?, bool)"/>
    /// does, taking the entries of the objects its scan index does not reuse from <paramref name="shardEntries"/> (the parts a
    /// cluster's shards wrote) before reading any: the assembly of a cluster release.
    /// </summary>
    internal static async Task<ReleaseResult> RunAssemblyAsync(ReleaseJob job, string jobSha256, DateOnly releaseDate, DateTimeOffset createdUtc, string engineVersion,
        TimeProvider time, Func<IObjectStore, ShardPart.Entries> shardEntries, CancellationToken cancellationToken,
        Func<S3StoreOptions, S3ReleasePublisher>? openPublisher = null)
    {
        using var publisher = StorageLocation.IsS3(job.Output) ? (openPublisher ?? (static o => new S3ReleasePublisher(o)))(S3StoreOptions.Parse(job.Output)) : null;
        var temporary = publisher is not null && job.WorkDirectory is null;
        var localOutput = publisher is null ? job.Output : job.WorkDirectory ?? Directory.CreateTempSubdirectory("nccid-release-").FullName;
        try
        {
            return await RunAsync(job, jobSha256, releaseDate, createdUtc, engineVersion, time, null, localOutput, publisher, shardEntries, false, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (temporary) Directory.Delete(localOutput, recursive: true);
        }
    }

    /// <summary>
    /// Where a release of <paramref name="job"/> keeps its releases and, beside them, its scan index between runs: the
    /// output folder, or for an <c>s3://</c> output its work directory; null when it keeps none (an <c>s3://</c> output
    /// without a work directory).
    /// </summary>
    internal static string? KeptReleasesRoot(ReleaseJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (!StorageLocation.IsS3(job.Output)) return Path.Combine(job.Output, "releases");
        return job.WorkDirectory is null ? null : Path.Combine(job.WorkDirectory, "releases");
    }

    /// <summary>How a release cuts its tables, and its scan index its segments, into chunks.</summary>
    internal static PartChunking ChunkingOf(ReleaseJob job, IObjectStore store, AuditProfile profile, DateOnly releaseDate, ParquetPartOptions partOptions, string? previous) =>
        new(ReleaseIndex.ChunkSalt(store, ScanOptionsOf(job), job.HeaderJson, profile, releaseDate, partOptions), previous)
        {
            PublishedParts = previous is null ? null : ReleaseManifest.PublishedParts(previous),
        };

    private static async Task<ReleaseResult> RunAsync(ReleaseJob job, string jobSha256, DateOnly releaseDate, DateTimeOffset createdUtc, string engineVersion,
        TimeProvider time, Action<ScanProgress>? onStarted, string localOutput, S3ReleasePublisher? publisher, Func<IObjectStore, ShardPart.Entries>? shardEntries,
        bool fullScan, CancellationToken cancellationToken)
    {
        var releasesRoot = Path.Combine(localOutput, "releases");
        Directory.CreateDirectory(releasesRoot);
        RemoveStaleStaging(releasesRoot);
        // A local release of an s3:// output that LATEST does not name never finished uploading: its id is free again,
        // and publishing it removes what it left in the bucket.
        if (publisher is not null) RemoveReleasesBut(releasesRoot, File.Exists(Path.Combine(releasesRoot, "LATEST")) ? File.ReadAllText(Path.Combine(releasesRoot, "LATEST")).Trim() : null);
        var releaseId = NewReleaseId(releasesRoot, job, releaseDate);
        var stateFile = Path.Combine(releasesRoot, "state", "splits.json");
        if (publisher is not null)
        {
            releaseId = await NewPublishedReleaseIdAsync(publisher, releaseId, cancellationToken).ConfigureAwait(false);
            await publisher.TryDownloadAsync(SplitStateKey, stateFile, cancellationToken).ConfigureAwait(false);
        }

        var staging = Path.Combine(releasesRoot, ".staging-" + releaseId + "-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(staging);
        try
        {
            var phases = new PhaseClock(time);
            var committedAtStart = GC.GetGCMemoryInfo().TotalCommittedBytes;
            var profile = AuditProfileLoader.Load(job.AuditProfile);
            var store = StorageLocation.Open(job.Source, job.Inventory?.ToOptions(), time);
            using var disposable = store as IDisposable;
            // The walk of a local source starts now and overlaps the clinical load (both mostly wait on a cold disk).
            using var listing = store is LocalFileStore local ? local.BeginListing() : null;
            var partOptions = new ParquetPartOptions();
            var splits = SplitAssigner.Load(stateFile, job.Split);
            var clinical = await LoadClinicalAsync(job, staging, partOptions, splits, cancellationToken).ConfigureAwait(false);
            using var records = clinical.Records;
            phases.End("clinical");
            var patients = clinical.Patients;
            var clinicalQuarantine = clinical.Quarantine;

            string CentreOf(InstanceFacts facts)
            {
                var pseudonym = facts.PatientId ?? facts.FolderPseudonym;
                if (pseudonym is not null && patients.TryGetValue(pseudonym, out var p) && p.SubmittingCentre is not null) return p.SubmittingCentre;
                return SubmissionLayout.UploadSite(facts.Path) ?? "unknown";
            }

            // Unchanged chunks of the instances and findings tables are taken over from the latest local release (for an
            // s3:// output, the one its work directory keeps, if any). Every path cuts the same chunks, so the bytes do not
            // depend on it. A part is taken over only while it is as the latest release's manifest lists it.
            var chunking = ChunkingOf(job, store, profile, releaseDate, partOptions, fullScan ? null : LatestRelease(releasesRoot));
            // The scan index kept beside the releases lets the release read only what changed; a cluster's assembly takes
            // what its shards read from their parts and reads only what changed after they did.
            using var fromShards = shardEntries?.Invoke(store);
            var index = ReleaseIndex.Open(releasesRoot, store, ScanOptionsOf(job), job.HeaderJson, profile, releaseDate, fullScan, chunking, fromShards);
            // The collection rules keep what they knew of each chunk beside the index, and read back from it a kept chunk
            // whose groups a change reached.
            var codec = new AuditedInstanceCodec(profile);
            var withState = chunking with
            {
                CollectionStateFile = ReleaseIndex.CollectionStatePath(releasesRoot), CollectionStateScope = store.Description,
                ChunkFacts = fingerprint => index.EntriesOf(fingerprint).Select(codec.DecodeFacts),
            };
            var audit = await AuditScan.RunAsync(store, staging, profile, ScanOptionsOf(job), partOptions, releaseDate, job.HeaderJson, CentreOf, time, clinicalQuarantine,
                onStarted, cancellationToken, index.RunAsync, withState).ConfigureAwait(false);
            phases.End("audit");
            var indexReport = index.Report is { } report
                ? report with
                {
                    TablePartsTakenOver = audit.PartsTakenOver, TableRowsTakenOver = audit.RowsTakenOver, TableChunksRefused = audit.ChunksRefused,
                    TableChunkRefusals = audit.ChunkRefusals, CollectionChunksKept = audit.CollectionChunksKept, CollectionChunksReadBack = audit.CollectionChunksReadBack,
                }
                : null;
            if (!audit.GatePassed)
            {
                // Nothing is published; the findings are reported, and the tables are left out with the staging folder.
                return new ReleaseResult(releaseId, null, audit with { OutputDirectory = "(not published)", Scan = audit.Scan with { TableDirectory = "(not published)", Parts = [] } },
                    new Dictionary<string, long>(), patients.Count, 0) { Index = indexReport };
            }

            var tally = new ReleaseDocuments.PatientTally();
            var joinState = audit.ChunkDigests is null ? ((string, string)?)null : (ReleaseIndex.JoinStatePath(releasesRoot), JoinValidity(job, engineVersion, chunking));
            var joined = await JoinAsync(job, staging, audit, patients, records, tally, releaseDate, partOptions, chunking, joinState, cancellationToken).ConfigureAwait(false);
            phases.End("join");
            if (indexReport is not null) indexReport = indexReport with { JoinChunksReplayed = joined.ChunksReplayed };
            phases.End("tables");
            var tables = await ReleaseManifest.DescribeAllAsync(staging, ReleaseTables.All, cancellationToken).ConfigureAwait(false);

            var inputs = new Dictionary<string, long>(StringComparer.Ordinal)
            {
                ["dicom_files"] = audit.Scan.Files,
                ["dicom_error_files"] = audit.Scan.Errors,
                ["dicom_unreadable_files"] = audit.Scan.ErrorsByKind.GetValueOrDefault(Dicom.DicomErrorKind.Unreadable),
                ["files_not_included"] = audit.Scan.Excluded,
                ["dicom_bytes"] = audit.Scan.BytesStored,
                ["clinical_files"] = clinical.FilesRead,
                ["clinical_patients"] = patients.Count,
                ["clinical_quarantined"] = clinical.Quarantine.Length,
                ["quarantined_instances"] = audit.Quarantined,
            };
            ReleaseManifest.Write(Path.Combine(staging, ReleaseManifest.FileName), releaseId, job, jobSha256, engineVersion, createdUtc, inputs, tables);
            ReleaseDocuments.Write(staging, releaseId, job, tables, audit, joined, tally);
            var patientCount = patients.Count;
            phases.End("manifest and documents");

            // The audit's and the join's buffers are garbage by now, but the collector keeps the room they took, and the
            // guard then reads the parts back: given back first, the checks mostly stay below the audit's peak (releases
            // of 173,113 files: the checks phase peaked at 283 to 320 MiB in four runs with this, 320 and 338 without).
            // A release whose heap grew little (most files reused, in a host that ran releases before) has little to give
            // back: there the compaction paused it 0.03 s, more than its checks took (110,003 files, 1 % new).
            if (GC.GetGCMemoryInfo().TotalCommittedBytes - committedAtStart > RoomWorthGivingBack)
            {
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            }

            // The guard looks its cache up by the SHA-256 of each part, which describing the tables has just taken.
            var described = tables.SelectMany(t => t.Files).ToDictionary(f => f.Path, f => f.Sha256, StringComparer.Ordinal);
            // Both only read the staged release, so the verification runs beside the checks (in a release that changed
            // little, each is a few hundredths of a second, mostly on one core); a failed check still wins, and nothing is
            // published before both are done. The verify phase is what is left of it after the checks.
            var verification = Task.Run(() => ReleaseManifest.VerifyAsync(staging, cancellationToken), cancellationToken);
            try
            {
                await ReleaseChecks.RunAsync(staging, job, profile, audit.Scan, cancellationToken, Path.Combine(ReleaseIndex.Root(releasesRoot), "phi-guard.json"), described)
                    .ConfigureAwait(false);
            }
            catch
            {
                // Not left reading a staging folder that is about to be removed; what it found no longer matters.
                await Task.WhenAny(verification).ConfigureAwait(false);
                _ = verification.Exception;
                throw;
            }

            phases.End("checks");
            var problems = await verification.ConfigureAwait(false);
            if (problems.Count > 0) throw new InvalidDataException("The release failed verification before publishing: " + string.Join(" ", problems));
            phases.End("verify");

            cancellationToken.ThrowIfCancellationRequested();
            var final = Path.Combine(releasesRoot, releaseId);
            Directory.Move(staging, final);
            phases.End("publish");
            if (indexReport is not null) ReleaseIndex.WriteReport(releasesRoot, releaseId, indexReport with { Phases = phases.Phases });
            splits.Save(stateFile);
            if (publisher is not null)
            {
                var publication = await publisher.PublishAsync(final, releaseId, cancellationToken).ConfigureAwait(false);
                var location = publication.Location;
                await publisher.UploadAsync(stateFile, SplitStateKey, cancellationToken).ConfigureAwait(false);
                // The work directory now holds what the bucket does: the next release starts from this one.
                await WriteLatestAsync(releasesRoot, releaseId, cancellationToken).ConfigureAwait(false);
                RemoveReleasesBut(releasesRoot, releaseId);
                var parts = Directory.GetFiles(Path.Combine(final, InstancesTable.Name), "*.parquet").Select(Path.GetFileName).Order(StringComparer.Ordinal);
                var published = audit with
                {
                    OutputDirectory = location,
                    Scan = audit.Scan with { TableDirectory = location + "/" + InstancesTable.Name, Parts = parts.Select(p => location + "/" + InstancesTable.Name + "/" + p).ToArray() },
                };
                phases.End("upload");
                return new ReleaseResult(releaseId, location, published, tables.ToDictionary(t => t.Name, t => t.Rows, StringComparer.Ordinal), patientCount, joined.Orphans)
                {
                    Phases = phases.Phases,
                    Index = indexReport,
                    Publication = publication,
                };
            }

            await WriteLatestAsync(releasesRoot, releaseId, cancellationToken).ConfigureAwait(false);
            var instances = Path.Combine(final, InstancesTable.Name);
            audit = audit with
            {
                OutputDirectory = final,
                Scan = audit.Scan with { TableDirectory = instances, Parts = Directory.GetFiles(instances, "*.parquet").Order(StringComparer.Ordinal).ToArray() },
            };
            return new ReleaseResult(releaseId, final, audit, tables.ToDictionary(t => t.Name, t => t.Rows, StringComparer.Ordinal), patientCount, joined.Orphans)
            {
                Phases = phases.Phases,
                Index = indexReport,
            };
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>The scan options of <paramref name="job"/>: its include patterns and parallelism (default four per core).</summary>
    internal static ScanOptions ScanOptionsOf(ReleaseJob job) =>
        new() { Parallelism = job.Parallelism > 0 ? job.Parallelism : Math.Max(4, Environment.ProcessorCount * 4), IncludeNames = job.Include };

    /// <summary>Where an S3 output keeps the split assignments, under <c>releases/</c>.</summary>
    private const string SplitStateKey = "state/splits.json";

    /// <summary>Growth of the committed managed heap over a release past which the heap is compacted before the checks.</summary>
    private const long RoomWorthGivingBack = 64L << 20;

    private static async Task<string> NewPublishedReleaseIdAsync(S3ReleasePublisher publisher, string baseId, CancellationToken cancellationToken)
    {
        var id = baseId;
        for (var n = 2; await publisher.IsPublishedAsync(id, cancellationToken).ConfigureAwait(false); n++) id = baseId + "-" + n.ToString(CultureInfo.InvariantCulture);
        return id;
    }

    /// <summary>SHA-256 of a job file, as recorded in the manifest.</summary>
    public static string HashJobFile(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    private static string NewReleaseId(string releasesRoot, ReleaseJob job, DateOnly date)
    {
        // Checked here too, for jobs built in code: a release id never leaves <output>/releases.
        var baseId = ReleaseJobLoader.ExpandReleaseId(job, date);
        if (!ReleaseJobLoader.IsSafeReleaseId(baseId)) throw new JobFileException($"at $.releaseId: '{baseId}' is not a plain folder name (letters, digits, '.', '-', '_').");
        var id = baseId;
        for (var n = 2; Directory.Exists(Path.Combine(releasesRoot, id)); n++) id = baseId + "-" + n.ToString(CultureInfo.InvariantCulture);
        return id;
    }

    /// <summary>Names <paramref name="releaseId"/> in <c>releases/LATEST</c>, replacing it in one rename.</summary>
    private static async Task WriteLatestAsync(string releasesRoot, string releaseId, CancellationToken cancellationToken)
    {
        var latestTemp = Path.Combine(releasesRoot, ".LATEST.tmp");
        await File.WriteAllTextAsync(latestTemp, releaseId + "\n", cancellationToken).ConfigureAwait(false);
        File.Move(latestTemp, Path.Combine(releasesRoot, "LATEST"), overwrite: true);
    }

    /// <summary>
    /// Removes the local releases of an <c>s3://</c> output's work directory but <paramref name="keep"/>: the bucket holds
    /// the published ones, and the next release takes its unchanged parts over from the one kept.
    /// </summary>
    private static void RemoveReleasesBut(string releasesRoot, string? keep)
    {
        foreach (var dir in Directory.GetDirectories(releasesRoot))
        {
            var name = Path.GetFileName(dir);
            if (name != keep && ReleaseJobLoader.IsSafeReleaseId(name) && File.Exists(Path.Combine(dir, ReleaseManifest.FileName))) Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The folder of the release <c>releases/LATEST</c> names, or null when there is none.</summary>
    private static string? LatestRelease(string releasesRoot)
    {
        var latest = Path.Combine(releasesRoot, "LATEST");
        if (!File.Exists(latest)) return null;
        var id = File.ReadAllText(latest).Trim();
        return ReleaseJobLoader.IsSafeReleaseId(id) && Directory.Exists(Path.Combine(releasesRoot, id)) ? Path.Combine(releasesRoot, id) : null;
    }

    /// <summary>Staging folders are only ever left by a run that died; the next run removes them.</summary>
    private static void RemoveStaleStaging(string releasesRoot)
    {
        foreach (var dir in Directory.GetDirectories(releasesRoot, ".staging-*")) Directory.Delete(dir, recursive: true);
        var latestTemp = Path.Combine(releasesRoot, ".LATEST.tmp");
        if (File.Exists(latestTemp)) File.Delete(latestTemp);
    }

    /// <summary>
    /// Loads and cleans the clinical records. As each patient is cleaned (in pseudonym order), its cleaning changes go to
    /// the <c>clinical_changes</c> table, its split is assigned, its record goes to a file in the staging folder and what
    /// the audit and the join need of it is kept by pseudonym: only that part of a record is held for every patient
    /// (the changes and the whole records, kept until the load ended, were what grew most with the patients).
    /// </summary>
    private static async Task<LoadedClinical> LoadClinicalAsync(ReleaseJob job, string staging, ParquetPartOptions options, SplitAssigner splits,
        CancellationToken cancellationToken)
    {
        var codes = new Dictionary<string, string>(StringComparer.Ordinal);
        var joined = new Dictionary<string, JoinedPatient>(StringComparer.Ordinal);
        var records = PatientRecordSpill.Create(Path.Combine(staging, ".clinical-records.jsonl"));
        try
        {
            ClinicalDataset dataset;
            await using (var changes = new ParquetPartWriter<CleaningChange>(Path.Combine(staging, CleaningChangesTable.Schema.Name), CleaningChangesTable.Schema, options))
            {
                dataset = await ClinicalLoader.LoadAsync(job.ClinicalSource ?? job.Source, ClinicalLoadOptions.Default, async (record, patientChanges, ct) =>
                {
                    foreach (var change in patientChanges) await changes.AddAsync(change, ct).ConfigureAwait(false);
                    record.Split = splits.Assign(record.Pseudonym, record.SubmittingCentre, record.Split);
                    records.Add(record);
                    joined.Add(record.Pseudonym, JoinedPatient.From(record, codes));
                }, cancellationToken).ConfigureAwait(false);
                await changes.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }

            records.Complete();
            var quarantine = dataset.Quarantine.Select(q => new QuarantineRow
            {
                Path = q.Path, Kind = "clinical_record", RuleIds = q.Reasons.ToArray(), Severity = "error",
            }).ToArray();
            return new LoadedClinical(joined, records, quarantine, dataset.FilesRead);
        }
        catch
        {
            records.Dispose();
            throw;
        }
    }

    /// <summary>
    /// What the join needs of each patient by pseudonym, the records in pseudonym order, the quarantined clinical files
    /// as quarantine rows, and the files read.
    /// </summary>
    private sealed record LoadedClinical(Dictionary<string, JoinedPatient> Patients, PatientRecordSpill Records, QuarantineRow[] Quarantine, int FilesRead);

    internal static async Task WriteTableAsync<TRow>(string staging, TableSchema<TRow> schema, IEnumerable<TRow> rows, ParquetPartOptions options, CancellationToken cancellationToken)
    {
        await using var writer = new ParquetPartWriter<TRow>(Path.Combine(staging, schema.Name), schema, options);
        foreach (var row in rows) await writer.AddAsync(row, cancellationToken).ConfigureAwait(false);
        await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Partial rows or orphans each of the join's sorts holds before it writes a run to its scratch folder.</summary>
    private const int JoinSortRecordsInMemory = 1 << 14;

    /// <summary>What a chunk's join depends on besides its rows, its audit decisions and its patients: the engine, the job's window policy and the chunks' salt.</summary>
    private static string JoinValidity(ReleaseJob job, string engineVersion, PartChunking chunking) =>
        string.Join("|", "join 1", engineVersion, job.CollectionWindows ?? string.Empty, chunking.Salt);

    /// <remarks>
    /// The studies, series, orphans and the instances left out go through sorts that spill to a scratch folder in the
    /// staging folder (deleted before the tables are described), so the join holds what it needs per patient, not per
    /// study or file. With a join state (<paramref name="state"/>), what the join made of each chunk of the instances is
    /// kept, and a chunk the audit kept whole and no collection rule evaluated again (<see cref="AuditSummary.SettledChunks"/>),
    /// whose audit digest (<see cref="AuditSummary.ChunkDigests"/>) and patients' records are as they were, and whose
    /// outcome parts the latest release holds, is replayed from it: its rows are not read back.
    /// </remarks>
    private static async Task<JoinResult> JoinAsync(ReleaseJob job, string staging, AuditSummary audit, Dictionary<string, JoinedPatient> patients,
        PatientRecordSpill records, ReleaseDocuments.PatientTally tally, DateOnly releaseDate, ParquetPartOptions partOptions, PartChunking chunking,
        (string Path, string Validity)? state, CancellationToken cancellationToken)
    {
        var scratch = Path.Combine(staging, ".join-sort");
        try
        {
            using var aggregation = new StudySeriesAggregation(scratch, JoinSortRecordsInMemory);
            using var orphans = new ExternalSorter<OrphanRow>(OrphanRowCodec.Order, OrphanRowCodec.Instance, scratch, JoinSortRecordsInMemory);
            using var extraQuarantine = new ExternalSorter<QuarantineRow>(QuarantineTable.Order, QuarantineMerge.Codec, scratch, JoinSortRecordsInMemory);
            // Every imaged pseudonym, with the sex and age of its first released instance (for records that lack them).
            var dicomFacts = new Dictionary<string, (string? Sex, int? Age)>(StringComparer.Ordinal);
            var exclude = job.CollectionWindows == "exclude";

            // Identical copies of an instance are released once, the first in path order; conflicting copies were quarantined by the audit.
            // Only UIDs that several files carry (and the empty UID) can repeat, so only those are remembered.
            var released = new HashSet<string>(StringComparer.Ordinal);
            var patientDigests = new Dictionary<string, string>(StringComparer.Ordinal);
            var replayed = 0;
            using var lastState = state is { } s ? JoinState.Open(s.Path, s.Validity) : null;
            using var nextState = state is { } t ? new JoinState.Writer(t.Path, t.Validity) : null;

            await using (var outcomes = new ParquetPartWriter<ImagingOutcomeRow>(Path.Combine(staging, ImagingOutcomesTable.Schema.Name), ImagingOutcomesTable.Schema, partOptions))
            {
                // The outcomes' parts follow the instances' (their chunks), so each is encoded while the next is joined. A
                // part's rows are labelled with their fingerprint: a part of the latest release with the same rows is taken
                // over instead of encoded again.
                var reuse = new PartReuse(chunking.PreviousOutput, chunking.PublishedParts);
                var chunks = Chunks(await InstanceTableReader.ListPartsAsync(Path.Combine(staging, InstancesTable.Name), cancellationToken).ConfigureAwait(false));
                var replays = new JoinReplay?[chunks.Count];
                for (var c = 0; c < chunks.Count; c++)
                {
                    // Only a chunk no collection rule looked at again: its repeated UIDs and quarantine are as they were.
                    if (lastState is not null && chunks[c].Fingerprint is { } fp && audit.SettledChunks.Contains(fp) && audit.ChunkDigests!.TryGetValue(fp, out var digest)
                        && lastState.Find(fp) is { } payload)
                    {
                        replays[c] = await JoinReplay.PrepareAsync(payload, digest, chunks[c].Files.Count, PatientDigest, reuse, cancellationToken).ConfigureAwait(false);
                    }
                }

                // The parts to read, in order, the next one read while the current one is joined.
                var toRead = new Queue<string>(chunks.Where((_, c) => replays[c] is null).SelectMany(chunk => chunk.Files));
                Task<List<InstanceSummaryRow>>? ahead = null;
                async Task<List<InstanceSummaryRow>> ReadAsync(string file)
                {
                    if (toRead.Count == 0 || toRead.Peek() != file) return await InstanceTableReader.ReadPartAsync(file, cancellationToken).ConfigureAwait(false);
                    toRead.Dequeue();
                    var rows = await (ahead ?? InstanceTableReader.ReadAhead(file, cancellationToken)).ConfigureAwait(false);
                    ahead = toRead.Count > 0 ? InstanceTableReader.ReadAhead(toRead.Peek(), cancellationToken) : null;
                    return rows;
                }

                var partRows = new List<ImagingOutcomeRow>();
                for (var c = 0; c < chunks.Count; c++)
                {
                    var (fingerprint, files) = chunks[c];
                    aggregation.Cut();
                    if (replays[c] is { } replay && replay.TryReplay(released))
                    {
                        replay.Apply(extraQuarantine, dicomFacts, orphans, releaseDate, aggregation);
                        foreach (var (parts, rows) in replay.OutcomeParts) await outcomes.AddExistingPartsAsync(parts, rows, cancellationToken).ConfigureAwait(false);
                        nextState?.Add(fingerprint!, replay.Payload);
                        replayed++;
                        continue;
                    }

                    // Recorded for the next release only for a chunk the audit has a digest of.
                    var record = nextState is not null && fingerprint is not null && audit.ChunkDigests!.TryGetValue(fingerprint, out var chunkDigest)
                        ? new JoinRecord(chunkDigest)
                        : null;
                    if (record is not null) aggregation.StartRecording();
                    foreach (var file in files)
                    {
                        foreach (var i in await ReadAsync(file).ConfigureAwait(false))
                        {
                            if (i.Status != InstanceRow.StatusOk || audit.QuarantinedPaths.Contains(i.Path)) continue;
                            if (i.SopInstanceUid is { } sop && (sop.Length == 0 || audit.SharedSopInstanceUids.Contains(sop)))
                            {
                                var first = released.Add(sop);
                                record?.Decision(sop, first);
                                if (!first)
                                {
                                    var duplicate = new QuarantineRow { Path = i.Path, SopInstanceUid = sop, Kind = "instance", RuleIds = ["Q-DUP-001"], Severity = "warning" };
                                    extraQuarantine.Add(duplicate);
                                    record?.Quarantine(duplicate);
                                    continue;
                                }
                            }

                            var pseudonym = i.PatientId ?? SubmissionLayout.FolderPseudonym(i.Path);
                            patients.TryGetValue(pseudonym ?? string.Empty, out var patient);
                            record?.Patient(pseudonym ?? string.Empty, PatientDigest(pseudonym ?? string.Empty));
                            var row = Outcome(i, pseudonym, patient);
                            if (exclude && row.InCollectionWindow == false)
                            {
                                var outside = new QuarantineRow { Path = i.Path, SopInstanceUid = i.SopInstanceUid, Kind = "instance", RuleIds = ["R-WINDOW-001"], Severity = "warning" };
                                extraQuarantine.Add(outside);
                                record?.Quarantine(outside);
                                continue;
                            }

                            partRows.Add(row);
                            if (pseudonym is not null)
                            {
                                var facts = (i.PatientSex, InstanceAuditor.AgeInYears(i.PatientAge));
                                dicomFacts.TryAdd(pseudonym, facts);
                                record?.Facts(pseudonym, facts);
                                if (patient is null)
                                {
                                    var modified = DateOnly.FromDateTime(i.ModifiedUtc).DayNumber;
                                    orphans.Add(new OrphanRow { Kind = "image", Pseudonym = pseudonym, Path = i.Path, AgeDays = releaseDate.DayNumber - modified });
                                    record?.Orphan(pseudonym, i.Path, modified);
                                }
                            }

                            aggregation.Add(i, pseudonym, patient?.SubmittingCentre, patient?.Split);
                        }

                        var written = await WriteOutcomesPartAsync(outcomes, partRows, reuse, cancellationToken).ConfigureAwait(false);
                        record?.Part(written, partRows.Count);
                        partRows.Clear();
                    }

                    if (record is not null) nextState!.Add(fingerprint!, record.Encode(aggregation));
                }

                await outcomes.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }

            nextState?.Commit();

            // The records come back in pseudonym order: each is completed from its images, written and counted.
            await using (var patientRows = new ParquetPartWriter<PatientRecord>(Path.Combine(staging, PatientsTable.Schema.Name), PatientsTable.Schema, partOptions))
            {
                foreach (var record in records.Read())
                {
                    if (!dicomFacts.TryGetValue(record.Pseudonym, out var facts))
                    {
                        orphans.Add(new OrphanRow
                        {
                            Kind = "clinical", Pseudonym = record.Pseudonym, Path = record.SourcePath,
                            AgeDays = record.LatestFileDate is { } d ? releaseDate.DayNumber - d.DayNumber : null,
                        });
                    }
                    else
                    {
                        DicomDemographics.FillFromDicom(record, facts.Sex, facts.Age);
                    }

                    await patientRows.AddAsync(record, cancellationToken).ConfigureAwait(false);
                    tally.Add(record);
                }

                await patientRows.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }

            records.Dispose();

            var studies = new StudyTally();
            await WriteTableAsync(staging, StudiesTable.Studies, studies.Counting(aggregation.Studies()), partOptions, cancellationToken).ConfigureAwait(false);
            await WriteTableAsync(staging, StudiesTable.Series, aggregation.Series(), partOptions, cancellationToken).ConfigureAwait(false);
            await WriteTableAsync(staging, OrphansTable.Schema, orphans.Sorted(), partOptions, cancellationToken).ConfigureAwait(false);
            if (extraQuarantine.Count > 0) await QuarantineMerge.WriteAsync(staging, extraQuarantine.Sorted(), partOptions, cancellationToken).ConfigureAwait(false);
            return new JoinResult(orphans.Count, extraQuarantine.Count, studies) { ChunksReplayed = replayed };

            string PatientDigest(string pseudonym)
            {
                if (!patientDigests.TryGetValue(pseudonym, out var digest))
                {
                    patientDigests[pseudonym] = digest = patients.TryGetValue(pseudonym, out var p) ? p.Digest() : "-";
                }

                return digest;
            }
        }
        finally
        {
            if (Directory.Exists(scratch)) Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>The instances parts grouped by chunk, in order: consecutive parts with the same chunk fingerprint (a part outside chunks alone).</summary>
    private static List<(string? Fingerprint, List<string> Files)> Chunks(IReadOnlyList<(string File, string? Label)> parts)
    {
        var chunks = new List<(string? Fingerprint, List<string> Files)>();
        foreach (var (file, label) in parts)
        {
            var slash = label?.LastIndexOf('/') ?? -1;
            var fingerprint = slash > 0 ? label![..slash] : null;
            if (fingerprint is not null && chunks.Count > 0 && chunks[^1].Fingerprint == fingerprint) chunks[^1].Files.Add(file);
            else chunks.Add((fingerprint, [file]));
        }

        return chunks;
    }

    /// <summary>Writes one part's outcome rows, labelled with their fingerprint, or takes over the latest release's part with the same rows; the fingerprint, null without rows.</summary>
    private static async ValueTask<string?> WriteOutcomesPartAsync(ParquetPartWriter<ImagingOutcomeRow> outcomes, List<ImagingOutcomeRow> rows, PartReuse reuse, CancellationToken cancellationToken)
    {
        if (rows.Count == 0) return null;
        var fingerprint = ImagingOutcomesTable.Schema.ContentFingerprint(rows);
        if (await reuse.FindAsync(ImagingOutcomesTable.Schema.Name, fingerprint, rows.Count, cancellationToken).ConfigureAwait(false) is { } parts)
        {
            await outcomes.AddExistingPartsAsync(parts, rows.Count, cancellationToken).ConfigureAwait(false);
            return fingerprint;
        }

        await outcomes.BeginChunkAsync(fingerprint, cancellationToken).ConfigureAwait(false);
        foreach (var row in rows) await outcomes.AddAsync(row, cancellationToken).ConfigureAwait(false);
        await outcomes.BeginChunkAsync(null, cancellationToken).ConfigureAwait(false);
        return fingerprint;
    }

    private static ImagingOutcomeRow Outcome(InstanceSummaryRow i, string? pseudonym, JoinedPatient? p)
    {
        var row = new ImagingOutcomeRow
        {
            Path = i.Path, SopInstanceUid = i.SopInstanceUid, Pseudonym = pseudonym, Modality = i.Modality, StudyInstanceUid = i.StudyInstanceUid,
            SeriesInstanceUid = i.SeriesInstanceUid, StudyDate = i.StudyDate, BodyPartExamined = i.BodyPartExamined, ViewPosition = i.ViewPosition,
            Manufacturer = i.Manufacturer, Rows = i.Rows, Columns = i.Columns, HasClinicalRecord = p is not null,
            SubmittingCentre = p?.SubmittingCentre ?? SubmissionLayout.UploadSite(i.Path),
        };
        if (p is null)
        {
            row.Sex = i.PatientSex;
            row.Age = InstanceAuditor.AgeInYears(i.PatientAge);
            return row;
        }

        row.Split = p.Split;
        row.CovidStatus = p.Status;
        row.Sex = p.Sex ?? i.PatientSex;
        row.Age = p.Age ?? InstanceAuditor.AgeInYears(i.PatientAge);
        row.SwabDate = p.SwabDate;
        row.AdmissionDate = p.AdmissionDate;
        row.ItuAdmission = p.ItuAdmission;
        row.ItuAdmissionDate = p.ItuAdmissionDate;
        row.Intubation = p.Intubation;
        row.Death = p.Death;
        row.DeathDate = p.DeathDate;
        if (i.StudyDate is { } study)
        {
            row.DaysFromSwabToStudy = p.SwabDate is { } swab ? study.DayNumber - swab.DayNumber : null;
            row.DaysFromAdmissionToStudy = p.AdmissionDate is { } admitted ? study.DayNumber - admitted.DayNumber : null;
            row.StudyBeforeItu = p.ItuAdmissionDate is { } itu ? study < itu : null;
            row.DeathWithin28Days = Within28(study, p.Death, p.DeathDate);
            row.ItuWithin28Days = Within28(study, p.ItuAdmission, p.ItuAdmissionDate);
            row.InCollectionWindow = InWindow(study, p);
        }

        return row;
    }

    /// <summary>True/false when the event's occurrence is known, null when not (an event without a date is not placed).</summary>
    private static bool? Within28(DateOnly study, bool? happened, DateOnly? when) => happened switch
    {
        false => false,
        true when when is { } d => d >= study && d.DayNumber - study.DayNumber <= 28,
        _ => null,
    };

    /// <summary>
    /// The NCCID's collection windows: RT-PCR positive, from 3 years before the swab through the stay (to the last
    /// follow-up or death when known); negative, from 4 weeks before the swab.
    /// </summary>
    private static bool? InWindow(DateOnly study, JoinedPatient p)
    {
        if (p.SwabDate is not { } swab) return null;
        if (p.Status == "positive")
        {
            var end = p.DeathDate ?? p.LastFollowUpDate;
            return study >= swab.AddYears(-3) && (end is null || study <= end);
        }

        return study >= swab.AddDays(-28);
    }
}
