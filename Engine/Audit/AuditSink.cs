using System.Globalization;
using Nccid.Batch.Pipeline;
using Nccid.Batch.Storage;
using Nccid.Batch.Tables;

namespace Nccid.Batch.Audit;

/// <summary>
/// Receives audited instances in path order on one thread: writes the instance and its findings, feeds the
/// collection rules, and keeps the counts of the summary and the gate. Collection findings, quarantine and
/// the per-centre summary are written by <see cref="FinishAsync"/>. The collection findings and the quarantining
/// findings go through sorts that spill to the staging folder, so neither is held whole however many files have them.
/// </summary>
/// <remarks>
/// With a collection state (<see cref="PartChunking.CollectionStateFile"/>), a chunk whose every instance came
/// unchanged from the scan index and which the state knows is kept: its instances are not observed, and its collection
/// findings are the state's. At the end, each check evaluates again the kept chunks that share a group key with a
/// changed chunk (in this run, or in the last one for a chunk no longer found), and then those sharing one with these,
/// reading their facts back from the index; so every group a change touched is observed whole, and the others keep
/// their findings. A kept chunk whose parts are taken over is also counted from the state's tally of it
/// (<see cref="ChunkTally"/>), so its rows are never decoded. The state is then replaced by this run's.
/// </remarks>
internal sealed class AuditSink : IRowSink<AuditedInstance>, Index.IChunkSink<AuditedInstance>, IAsyncDisposable
{
    private readonly ParquetPartWriter<InstanceRow> _instances;
    private readonly ParquetPartWriter<FindingRow> _quality;
    private readonly ParquetPartWriter<FindingRow> _deid;
    private readonly ParquetPartWriter<QuarantineRow> _quarantine;
    private readonly ParquetPartWriter<AuditSummaryRow> _summary;
    private readonly AuditProfile _profile;
    private readonly ICollectionCheck[] _collection;
    private readonly Func<InstanceFacts, string> _centreOf;
    private readonly IReadOnlyList<QuarantineRow> _extraQuarantine;
    private readonly SortedDictionary<string, AuditSummaryRow> _centres = new(StringComparer.Ordinal);
    private readonly CollectionScratch _scratch;
    private readonly ExternalSorter<QuarantineMark> _marks;
    private readonly Dictionary<Severity, long> _qualityCounts = [];
    private readonly Dictionary<Severity, long> _deidCounts = [];
    private readonly Dictionary<string, long> _blockingRules = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, long> _byRule = new(StringComparer.Ordinal);
    private readonly PartChunker? _chunker;
    private readonly PartReuse? _reuse;
    private readonly List<AuditedInstance> _chunkInstances = [];
    private readonly List<AuditFinding> _chunkQuality = [];
    private readonly List<AuditFinding> _chunkDeid = [];
    private readonly StringPool _strings = new();
    private readonly Comparison<string> _listingOrder;
    private readonly Func<string, IEnumerable<InstanceFacts>>? _chunkFacts;
    private readonly string? _stateFile;
    private readonly string _stateValidity;
    private readonly Dictionary<string, CollectionState.Chunk> _previous = new(StringComparer.Ordinal);
    private readonly List<ChunkRecord> _chunks = [];
    private readonly List<IReadOnlyList<string>> _chunkShared = [];
    private readonly HashSet<string> _settled = new(StringComparer.Ordinal);
    private readonly HashSet<ulong>[] _openKeys;
    // Every chunk's group keys, this run's and the last run's, on disk until the collection rules end.
    private readonly GroupKeySpill _keys;
    private string? _openFirstKey;
    private ChunkTally _openTally = new();
    private readonly Dictionary<string, AuditRule> _instanceRules = new(StringComparer.Ordinal);
    private readonly Func<AuditFinding, bool> _quarantines;
    private bool _streaming;

    public AuditSink(string staging, ParquetPartOptions options, AuditProfile profile, AuditChecks checks, Func<InstanceFacts, string> centreOf, IReadOnlyList<QuarantineRow> extraQuarantine,
        PartChunking? chunking = null, int collectionFactsInMemory = CollectionScratch.DefaultFactsInMemory, Comparison<string>? listingOrder = null)
    {
        _listingOrder = listingOrder ?? Index.ListingOrder.BySegment;
        if (chunking is not null)
        {
            _chunker = chunking.CreateChunker();
            _reuse = new PartReuse(chunking.PreviousOutput, chunking.PublishedParts);
        }

        _instances = new ParquetPartWriter<InstanceRow>(Path.Combine(staging, InstancesTable.Name), InstancesTable.Schema, options);
        _quality = new ParquetPartWriter<FindingRow>(Path.Combine(staging, FindingsTables.Quality.Name), FindingsTables.Quality, options);
        _deid = new ParquetPartWriter<FindingRow>(Path.Combine(staging, FindingsTables.Deidentification.Name), FindingsTables.Deidentification, options);
        _quarantine = new ParquetPartWriter<QuarantineRow>(Path.Combine(staging, QuarantineTable.Schema.Name), QuarantineTable.Schema, options);
        _summary = new ParquetPartWriter<AuditSummaryRow>(Path.Combine(staging, AuditSummaryTable.Schema.Name), AuditSummaryTable.Schema, options);
        _profile = profile;
        _quarantines = profile.Gate.Quarantines;
        // The collection rules sort under the staging folder, which is never published and is removed after the run.
        _scratch = new CollectionScratch(Path.Combine(staging, ".collection-sort"), collectionFactsInMemory) { PathOrder = _listingOrder };
        _collection = checks.CollectionCheckFactories.Select(f => f(_scratch)).ToArray();
        _openKeys = _collection.Select(_ => new HashSet<ulong>()).ToArray();
        _keys = new GroupKeySpill(_scratch.Directory);
        foreach (var rule in checks.InstanceChecks.SelectMany(c => c.Rules).Concat(AuditChecks.Catalogue())) _instanceRules.TryAdd(rule.Id, rule);
        _stateValidity = string.Join("|", [chunking?.Salt ?? string.Empty, chunking?.CollectionStateScope ?? string.Empty, .. _collection.Select(c => c.GetType().Name)]);
        if (chunking?.CollectionStateFile is { } stateFile)
        {
            _stateFile = stateFile;
            _chunkFacts = chunking.ChunkFacts;
            var rules = _collection.SelectMany(c => c.Rules).GroupBy(r => r.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            // Without a way back to a chunk's facts, no chunk can be kept: every one is evaluated.
            if (_chunkFacts is not null && CollectionState.Load(stateFile, _stateValidity, _collection.Length, rules.GetValueOrDefault, _keys) is { } state)
            {
                foreach (var chunk in state.Chunks) _previous.TryAdd(chunk.Fingerprint, chunk);
            }
        }

        _marks = new ExternalSorter<QuarantineMark>(QuarantineMark.ByPath, QuarantineMark.Codec, _scratch.Directory, collectionFactsInMemory);
        _centreOf = centreOf;
        _extraQuarantine = extraQuarantine;
    }

    public IReadOnlyDictionary<Severity, long> QualityCounts => _qualityCounts;

    public IReadOnlyDictionary<Severity, long> DeidCounts => _deidCounts;

    public long Blocking { get; private set; }

    public IReadOnlyDictionary<string, long> BlockingRules => _blockingRules;

    public IReadOnlyDictionary<string, long> FindingsByRule => _byRule;

    /// <summary>Instances quarantined (known after <see cref="FinishAsync"/>).</summary>
    public long QuarantinedCount => QuarantinedPaths.Count;

    /// <summary>Paths of the quarantined instances (known after <see cref="FinishAsync"/>).</summary>
    public PathSet QuarantinedPaths { get; } = new();

    /// <summary>SOP Instance UIDs that more than one readable file carries (known after <see cref="FinishAsync"/>).</summary>
    public IReadOnlySet<string> SharedSopInstanceUids { get; private set; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Part files taken over from the earlier output, and the rows they hold (all three chunked tables).</summary>
    public (int Parts, long Rows) Reused => _reuse is null ? (0, 0) : (_reuse.PartsTaken, _reuse.RowsTaken);

    /// <summary>Chunks whose earlier parts did not match their manifest and were written again, and why (see <see cref="PartReuse.Refused"/>).</summary>
    public (int Chunks, IReadOnlyList<string> Reasons) Refused => _reuse is null ? (0, []) : (_reuse.RefusedCount, _reuse.Refused);

    /// <summary>
    /// With a collection state, per chunk fingerprint, a digest of the chunk's shared SOP Instance UIDs and quarantined
    /// paths (known after <see cref="FinishAsync"/>): the release's join replays a chunk whose rows and digest it saw
    /// before. Null without a state.
    /// </summary>
    public IReadOnlyDictionary<string, string>? ChunkDigests { get; private set; }

    /// <summary>
    /// The chunks kept whole that no check evaluated again (known after <see cref="FinishAsync"/>): no group of theirs
    /// (SOP Instance UID, series, study, patient) holds a file that changed, so whatever the audit decided of them as a
    /// whole stands.
    /// </summary>
    public IReadOnlySet<string> SettledChunks => _settled;

    /// <summary>Chunks whose collection-rule findings were kept from the last run (known after <see cref="FinishAsync"/>).</summary>
    public int CollectionChunksKept { get; private set; }

    /// <summary>Kept chunks read back from the index because a change reached one of their groups (known after <see cref="FinishAsync"/>).</summary>
    public int CollectionChunksReadBack { get; private set; }

    public async ValueTask AddAsync(AuditedInstance row, CancellationToken cancellationToken)
    {
        if (_chunker is null)
        {
            await _instances.AddAsync(row.Row, cancellationToken).ConfigureAwait(false);
            await CountAsync(row, waiting: false, cancellationToken).ConfigureAwait(false);
            return;
        }

        // While every instance of the chunk came unchanged from the index, its rows wait, not even decoded: at its end the
        // chunk may be kept whole (its earlier parts taken over, its counts and collection findings the state's). A freshly
        // read instance means the chunk is written, so from then on its rows go straight in.
        if (_chunker.EndsBefore(row.Key)) await EndChunkAsync(cancellationToken).ConfigureAwait(false);
        if (_chunker.Rows == 0) _openFirstKey = row.Key;
        _chunker.Add(row.Key, row.Size, row.ModifiedTicks, row.FromIndex);
        if (!_streaming && !row.FromIndex) await StreamChunkAsync(cancellationToken).ConfigureAwait(false);
        if (_streaming)
        {
            await _instances.AddAsync(row.Row, cancellationToken).ConfigureAwait(false);
            await CountAsync(row, waiting: false, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            _chunkInstances.Add(row);
        }
    }

    /// <summary>
    /// Takes a chunk whose every instance came unchanged from the scan index: kept whole when the collection state knows
    /// it and its parts are taken over (its rows never read), else added row by row.
    /// </summary>
    public async ValueTask AddChunkAsync(Index.ReusedChunk<AuditedInstance> chunk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        if (_chunker is not null)
        {
            if (_chunker.Rows > 0) await EndChunkAsync(cancellationToken).ConfigureAwait(false);
            if (_stateFile is not null && _previous.TryGetValue(chunk.Fingerprint, out var kept) && KeptFindings(kept, chunk.Read()) is { } findings
                && await TakeOverKeptAsync(chunk.Fingerprint, kept.Tally, chunk.Rows, cancellationToken).ConfigureAwait(false))
            {
                _previous.Remove(chunk.Fingerprint);
                CountKept(kept.Tally);
                _chunks.Add(new ChunkRecord(chunk.FirstKey, chunk.Fingerprint, kept, kept.Keys, kept.Tally, chunk.Rows) { KeptFindings = findings });
                return;
            }
        }

        foreach (var row in chunk.Read()) await AddAsync(row, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Counts an instance and its findings (written, or held with its waiting chunk when <paramref name="waiting"/>), and
    /// gives its facts to the collection rules unless its chunk is kept for them.
    /// </summary>
    private async ValueTask CountAsync(AuditedInstance row, bool waiting, CancellationToken cancellationToken, bool observe = true)
    {
        // The collection rules hold the facts of many instances in their sorts: values those repeat are held once.
        row.Facts.ShareStrings(_strings);
        var centre = _strings.Share(_centreOf(row.Facts))!;
        row.Facts.Centre = centre;
        var counts = Centre(centre);
        counts.Files++;
        if (!row.Facts.Readable) counts.ErrorFiles++;
        foreach (var finding in row.Findings) await WriteAsync(finding, counts, waiting, cancellationToken).ConfigureAwait(false);
        if (_stateFile is not null) _openTally.Add(row.Facts, row.Findings, _quarantines);
        if (observe) Observe(row.Facts);
    }

    private void Observe(InstanceFacts facts)
    {
        for (var i = 0; i < _collection.Length; i++)
        {
            _collection[i].Observe(facts);
            if (_stateFile is not null) _collection[i].AddGroupKeys(facts, _openKeys[i]);
        }
    }

    /// <summary>
    /// Ends the last chunk when the scan ends: its rows may still have to be loaded from the scan index, which replaces
    /// its generation once the scan is over.
    /// </summary>
    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        if (_chunker is not null) await EndChunkAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs the collection rules, then writes their findings, the quarantine and the summary, and completes every table.</summary>
    public async Task FinishAsync(CollectionContext context, CancellationToken cancellationToken)
    {
        if (_chunker is not null)
        {
            await EndChunkAsync(cancellationToken).ConfigureAwait(false);
            // Findings of the rules that span files are not in any chunk: they start parts of their own.
            await _quality.BeginChunkAsync(null, cancellationToken).ConfigureAwait(false);
            await _deid.BeginChunkAsync(null, cancellationToken).ConfigureAwait(false);
        }

        await foreach (var finding in CollectionFindingsAsync(context, cancellationToken).ConfigureAwait(false))
        {
            await WriteAsync(finding, Centre(finding.Centre ?? "unknown"), waits: false, cancellationToken).ConfigureAwait(false);
        }

        await WriteQuarantineAsync(cancellationToken).ConfigureAwait(false);
        foreach (var row in _centres.Values) await _summary.AddAsync(row, cancellationToken).ConfigureAwait(false);
        await _instances.CompleteAsync(cancellationToken).ConfigureAwait(false);
        await _quality.CompleteAsync(cancellationToken).ConfigureAwait(false);
        await _deid.CompleteAsync(cancellationToken).ConfigureAwait(false);
        await _quarantine.CompleteAsync(cancellationToken).ConfigureAwait(false);
        await _summary.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The collection rules' findings in the findings tables' order. The rules run side by side (the duplicate and series
    /// rules each read every instance's facts back from their sorts), each into a sort of its own; a rule's sort is read
    /// into the final one only once every rule is done, in the rules' order, so neither the findings nor their order
    /// depend on which rule finished first (no two rules report the same rule id, so only one rule's findings can tie).
    /// </summary>
    private async IAsyncEnumerable<AuditFinding> CollectionFindingsAsync(CollectionContext context, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reported = new ExternalSorter<AuditFinding>[_collection.Length];
        try
        {
            for (var i = 0; i < reported.Length; i++)
            {
                reported[i] = new ExternalSorter<AuditFinding>(AuditFindingSpill.Order, new AuditFindingSpill(), _scratch.Directory, _scratch.FactsInMemory);
            }

            // With a collection state, only the groups a change touched are observed: kept chunks that share a group
            // with a changed chunk are read back and observed too; the others keep their findings.
            var involved = _stateFile is null ? null : Involve();
            if (involved is not null) ObserveInvolved(involved);

            await Task.WhenAll(_collection.Select((check, i) => Task.Run(
                async () => await check.CompleteAsync(context, new FindingCollector(_profile, reported[i].Add), cancellationToken).ConfigureAwait(false),
                cancellationToken))).ConfigureAwait(false);

            var routed = _chunks.Select(_ => _collection.Select(_ => new List<AuditFinding>()).ToArray()).ToArray();
            var shared = new HashSet<string>(StringComparer.Ordinal);
            var sharedAt = _chunks.Select(_ => new List<string>()).ToArray();
            for (var i = 0; i < _collection.Length; i++)
            {
                if (_collection[i] is not Quality.DuplicateInstanceCheck duplicates) continue;
                shared.UnionWith(duplicates.SharedUids);
                if (involved is null) continue;
                foreach (var (uid, path) in duplicates.SharedUidsAt) sharedAt[ChunkOf(path)].Add(uid);
                for (var c = 0; c < _chunks.Count; c++)
                {
                    if (_chunks[c].Kept is { } kept && !involved[i][c]) shared.UnionWith(kept.SharedUids);
                }
            }

            SharedSopInstanceUids = shared;

            using var findings = new ExternalSorter<AuditFinding>(AuditFindingSpill.Order, new AuditFindingSpill(), _scratch.Directory, _scratch.FactsInMemory);
            for (var i = 0; i < reported.Length; i++)
            {
                foreach (var finding in reported[i].Sorted())
                {
                    findings.Add(finding);
                    if (involved is not null) routed[ChunkOf(finding.Path)][i].Add(finding);
                }

                reported[i].Dispose();
                if (involved is null) continue;
                for (var c = 0; c < _chunks.Count; c++)
                {
                    if (_chunks[c].KeptFindings is not { } kept || involved[i][c]) continue;
                    foreach (var finding in kept[i]) findings.Add(finding);
                }
            }

            if (involved is not null) SaveState(involved, routed, sharedAt);
            foreach (var finding in findings.Sorted()) yield return finding;
        }
        finally
        {
            foreach (var sorter in reported) sorter?.Dispose();
        }
    }

    /// <summary>
    /// Ends the chunk for the counts and the collection rules. A chunk whose rows waited is kept whole when the collection
    /// state knows it: its counts are the state's tally (with this run's centres), its instances are not observed, and
    /// its collection findings are the state's. Otherwise its waiting rows are decoded and counted now (their findings
    /// held for its parts). With a state, what the chunk was is recorded for the next run. True when the chunk's parts
    /// were taken over whole, so that nothing more is to be done for it.
    /// </summary>
    private async ValueTask<bool> RecordChunkAsync(string fingerprint, bool allReused, CancellationToken cancellationToken)
    {
        var takenOver = false;
        if (_stateFile is not null && allReused && !_streaming && _previous.Remove(fingerprint, out var kept) && KeptFindings(kept, _chunkInstances) is { } findings)
        {
            takenOver = await TakeOverKeptAsync(fingerprint, kept.Tally, _chunkInstances.Count, cancellationToken).ConfigureAwait(false);
            if (takenOver)
            {
                CountKept(kept.Tally);
            }
            else
            {
                // Its parts are written again: its rows are decoded and counted, their findings held for the parts, but
                // the collection rules still keep what they knew of it.
                DecodeSideBySide(_chunkInstances);
                foreach (var row in _chunkInstances) await CountAsync(row, waiting: true, cancellationToken, observe: false).ConfigureAwait(false);
            }

            _chunks.Add(new ChunkRecord(_openFirstKey!, fingerprint, kept, kept.Keys, takenOver ? kept.Tally : _openTally, _chunkInstances.Count) { KeptFindings = findings });
        }
        else
        {
            if (!_streaming)
            {
                DecodeSideBySide(_chunkInstances);
                foreach (var row in _chunkInstances) await CountAsync(row, waiting: true, cancellationToken).ConfigureAwait(false);
            }

            if (_stateFile is not null)
            {
                _chunks.Add(new ChunkRecord(_openFirstKey!, fingerprint, null, _openKeys.Select(WriteKeys).ToArray(), _openTally, 0));
            }
        }

        foreach (var keys in _openKeys) keys.Clear();
        _openTally = new ChunkTally();
        if (takenOver) _chunkInstances.Clear();
        return takenOver;
    }

    /// <summary>
    /// Takes over a kept chunk's parts of the three chunked tables from the earlier output, its findings counted from its
    /// tally; false, taking nothing, when one is not there as it should be (the chunk is then counted and written).
    /// </summary>
    private async ValueTask<bool> TakeOverKeptAsync(string fingerprint, ChunkTally tally, int rows, CancellationToken cancellationToken)
    {
        if (_reuse is null) return false;
        long quality = 0, deid = 0;
        foreach (var group in tally.Groups)
        {
            foreach (var ((ruleId, _), n) in group.Findings)
            {
                if (!_instanceRules.TryGetValue(ruleId, out var rule)) return false;
                if (rule.Category == RuleCategory.Quality) quality += n;
                else deid += n;
            }
        }

        // A chunk without rows in a table has no part there, in this output or the earlier one.
        var instances = await _reuse.FindAsync(InstancesTable.Name, fingerprint, rows, cancellationToken).ConfigureAwait(false);
        var qualityParts = quality == 0 ? [] : await _reuse.FindAsync(FindingsTables.Quality.Name, fingerprint, quality, cancellationToken).ConfigureAwait(false);
        var deidParts = deid == 0 ? [] : await _reuse.FindAsync(FindingsTables.Deidentification.Name, fingerprint, deid, cancellationToken).ConfigureAwait(false);
        if (instances is null || qualityParts is null || deidParts is null) return false;
        await TakeAsync(_instances, instances, rows).ConfigureAwait(false);
        await TakeAsync(_quality, qualityParts, quality).ConfigureAwait(false);
        await TakeAsync(_deid, deidParts, deid).ConfigureAwait(false);
        return true;

        async ValueTask TakeAsync<TRow>(ParquetPartWriter<TRow> writer, IReadOnlyList<string> parts, long rows)
        {
            if (rows == 0) return;
            await writer.AddExistingPartsAsync(parts, rows, cancellationToken).ConfigureAwait(false);
            _reuse.Count(parts.Count, rows);
        }
    }

    /// <summary>Counts a kept chunk from its tally: its groups' files and findings under this run's centres, and its quarantining findings.</summary>
    private void CountKept(ChunkTally tally)
    {
        var centres = new AuditSummaryRow[tally.Groups.Count];
        for (var g = 0; g < centres.Length; g++)
        {
            var group = tally.Groups[g];
            var centre = _strings.Share(_centreOf(new InstanceFacts { Path = group.Path, PatientId = group.PatientId, FolderPseudonym = group.FolderPseudonym, Readable = true }))!;
            var counts = centres[g] = Centre(centre);
            counts.Files += group.Files;
            counts.ErrorFiles += group.ErrorFiles;
            foreach (var ((ruleId, severity), n) in group.Findings)
            {
                var finding = new AuditFinding(_instanceRules[ruleId], severity, group.Path, null, string.Empty, string.Empty);
                _byRule[ruleId] = _byRule.GetValueOrDefault(ruleId) + n;
                if (finding.Rule.Category == RuleCategory.Quality)
                {
                    _qualityCounts[severity] = _qualityCounts.GetValueOrDefault(severity) + n;
                    counts.QualityFindings += n;
                }
                else
                {
                    _deidCounts[severity] = _deidCounts.GetValueOrDefault(severity) + n;
                    counts.DeidFindings += n;
                }

                if (_profile.Gate.Blocks(finding))
                {
                    Blocking += n;
                    counts.BlockingFindings += n;
                    _blockingRules[ruleId] = _blockingRules.GetValueOrDefault(ruleId) + n;
                }
            }
        }

        foreach (var mark in tally.Marks)
        {
            _marks.Add(new QuarantineMark(mark.Path, mark.SopInstanceUid, mark.RuleId, mark.Severity, centres[mark.Group].Centre));
        }
    }

    /// <summary>Decodes waiting rows side by side (each decodes on first use otherwise, on this one thread).</summary>
    private static void DecodeSideBySide(List<AuditedInstance> rows)
    {
        if (rows.Count > 64) Parallel.ForEach(rows, static row => row.Decode());
    }

    /// <summary>The state's findings of a kept chunk with this run's centres, or null if one names a path the chunk does not hold.</summary>
    private List<AuditFinding>[]? KeptFindings(CollectionState.Chunk kept, IEnumerable<AuditedInstance> rows)
    {
        var centres = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var list in kept.Findings)
        {
            foreach (var finding in list) centres[finding.Path] = null;
        }

        var found = 0;
        // The chunk's rows are read only when a finding needs its instance's centre.
        foreach (var row in centres.Count == 0 ? [] : rows)
        {
            if (centres.Count == found) break;
            if (centres.ContainsKey(row.Key))
            {
                centres[row.Key] = _strings.Share(_centreOf(row.Facts));
                found++;
            }
        }

        if (found != centres.Count) return null;
        return kept.Findings.Select(list => list.Select(f => f with { Centre = centres[f.Path] }).ToList()).ToArray();
    }

    /// <summary>An open chunk's keys of one check, sorted, written to the spill.</summary>
    private KeyRange WriteKeys(HashSet<ulong> keys)
    {
        var sorted = keys.ToArray();
        Array.Sort(sorted);
        return _keys.Write(sorted);
    }

    /// <summary>
    /// Which kept chunks each check must evaluate again: those sharing a group key with a chunk that changed (its keys
    /// in this run and, for a chunk of the last run no longer found, in that one), and then those sharing a key with
    /// any chunk so reached, until none is added. Every group a change touched is then observed whole.
    /// </summary>
    private bool[][] Involve()
    {
        var involved = new bool[_collection.Length][];
        // With no chunk kept (a first or full run) there is nothing to involve, and the seeds would hold every group key.
        var anyKept = _chunks.Exists(static c => c.Kept is not null);
        for (var i = 0; i < _collection.Length; i++)
        {
            involved[i] = new bool[_chunks.Count];
            if (!anyKept) continue;
            var seeds = new HashSet<ulong>();
            foreach (var chunk in _chunks)
            {
                if (chunk.Kept is null) seeds.UnionWith(_keys.Read(chunk.Keys[i]));
            }

            foreach (var gone in _previous.Values) seeds.UnionWith(_keys.Read(gone.Keys[i]));
            for (var added = seeds.Count > 0; added;)
            {
                added = false;
                for (var c = 0; c < _chunks.Count; c++)
                {
                    if (_chunks[c].Kept is null || involved[i][c]) continue;
                    var keys = _keys.Read(_chunks[c].Keys[i]);
                    if (!Array.Exists(keys, seeds.Contains)) continue;
                    involved[i][c] = true;
                    seeds.UnionWith(keys);
                    added = true;
                }
            }
        }

        return involved;
    }

    /// <summary>Observes, for each check, the kept chunks it must evaluate again, their facts read back from the index.</summary>
    private void ObserveInvolved(bool[][] involved)
    {
        for (var c = 0; c < _chunks.Count; c++)
        {
            if (_chunks[c].Kept is null) continue;
            CollectionChunksKept++;
            var checks = Enumerable.Range(0, _collection.Length).Where(i => involved[i][c]).ToArray();
            if (checks.Length == 0) continue;
            CollectionChunksReadBack++;
            var read = 0;
            foreach (var facts in _chunkFacts!(_chunks[c].Fingerprint))
            {
                facts.ShareStrings(_strings);
                facts.Centre = _strings.Share(_centreOf(facts))!;
                foreach (var i in checks) _collection[i].Observe(facts);
                read++;
            }

            // Findings would be lost without a word: the run stops instead.
            if (read != _chunks[c].Rows)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"The scan index gave back {read} instances of the chunk that starts at '{_chunks[c].FirstKey}', which holds {_chunks[c].Rows}; the collection rules cannot evaluate it. Run again with --full."));
            }
        }
    }

    /// <summary>Replaces the collection state with this run's: kept findings where a chunk was kept and not evaluated again, this run's elsewhere.</summary>
    private void SaveState(bool[][] involved, List<AuditFinding>[][] routed, List<string>[] sharedAt)
    {
        var duplicates = Array.FindIndex(_collection, static c => c is Quality.DuplicateInstanceCheck);
        var chunks = new List<CollectionState.Chunk>(_chunks.Count);
        for (var c = 0; c < _chunks.Count; c++)
        {
            var chunk = _chunks[c];
            var findings = new IReadOnlyList<AuditFinding>[_collection.Length];
            for (var i = 0; i < findings.Length; i++) findings[i] = chunk.KeptFindings is { } kept && !involved[i][c] ? kept[i] : routed[c][i];
            var shared = chunk.Kept is { } old && duplicates >= 0 && !involved[duplicates][c] ? old.SharedUids : sharedAt[c];
            chunks.Add(new CollectionState.Chunk(chunk.Fingerprint, chunk.Keys, findings, shared, chunk.Tally));
            _chunkShared.Add(shared);
            if (chunk.Kept is not null && Enumerable.Range(0, _collection.Length).All(i => !involved[i][c])) _settled.Add(chunk.Fingerprint);
        }

        new CollectionState { Chunks = chunks }.Save(_stateFile!, _stateValidity, _collection.Length, _keys);
    }

    /// <summary>The index of the chunk of this run that holds <paramref name="path"/> (chunks are ranges of the listing).</summary>
    private int ChunkOf(string path)
    {
        int low = 0, high = _chunks.Count - 1;
        while (low < high)
        {
            var mid = (low + high + 1) / 2;
            if (_listingOrder(_chunks[mid].FirstKey, path) <= 0) low = mid;
            else high = mid - 1;
        }

        return low;
    }

    /// <summary>
    /// Writes a quarantine row per quarantined path from the sorted findings that quarantined it (their rules, sorted;
    /// the first SOP Instance UID named; the highest severity; the first finding's centre), merged with the rows from
    /// outside the audit, in the table's order: path, then kind.
    /// </summary>
    private async ValueTask WriteQuarantineAsync(CancellationToken cancellationToken)
    {
        var extra = _extraQuarantine.Order(QuarantineTable.Order).ToList();
        var quarantinedIn = new List<string>?[_chunkShared.Count];
        var next = 0;
        QuarantineMark? first = null;
        string? sop = null;
        var rules = new SortedSet<string>(StringComparer.Ordinal);
        var max = Severity.Info;
        foreach (var mark in _marks.Sorted())
        {
            if (first is not null && string.Equals(mark.Path, first.Path, StringComparison.Ordinal))
            {
                rules.Add(mark.RuleId);
                sop ??= mark.SopInstanceUid;
                if (mark.Severity > max) max = mark.Severity;
                continue;
            }

            if (first is not null) await InstanceRowAsync().ConfigureAwait(false);
            first = mark;
            sop = mark.SopInstanceUid;
            rules = new SortedSet<string>(StringComparer.Ordinal) { mark.RuleId };
            max = mark.Severity;
        }

        if (first is not null) await InstanceRowAsync().ConfigureAwait(false);
        while (next < extra.Count) await _quarantine.AddAsync(extra[next++], cancellationToken).ConfigureAwait(false);
        if (_chunkShared.Count > 0)
        {
            var digests = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var c = 0; c < _chunks.Count; c++) digests[_chunks[c].Fingerprint] = ChunkDigest(_chunkShared[c], quarantinedIn[c]);
            ChunkDigests = digests;
        }

        async ValueTask InstanceRowAsync()
        {
            var row = new QuarantineRow { Path = first.Path, SopInstanceUid = sop, Kind = "instance", RuleIds = rules.ToArray(), Severity = Name(max) };
            // Rows from outside that sort before it go first; at an equal path and kind the audit's row comes first.
            while (next < extra.Count && QuarantineTable.Order.Compare(extra[next], row) < 0) await _quarantine.AddAsync(extra[next++], cancellationToken).ConfigureAwait(false);
            await _quarantine.AddAsync(row, cancellationToken).ConfigureAwait(false);
            QuarantinedPaths.Add(row.Path);
            if (_chunkShared.Count > 0) (quarantinedIn[ChunkOf(row.Path)] ??= []).Add(row.Path);
            Centre(first.Centre).Quarantined++;
        }
    }

    /// <summary>A digest of what the audit decided of a chunk's instances as a whole: its shared SOP Instance UIDs and its quarantined paths.</summary>
    private static string ChunkDigest(IReadOnlyList<string> shared, List<string>? quarantined)
    {
        var hash = new System.IO.Hashing.XxHash128();
        void Add(string value)
        {
            hash.Append(System.Runtime.InteropServices.MemoryMarshal.AsBytes(value.AsSpan()));
            hash.Append([0, 0]);
        }

        foreach (var uid in shared.Order(StringComparer.Ordinal)) Add(uid);
        hash.Append([1, 0]);
        foreach (var path in quarantined ?? []) Add(path);
        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }

    /// <summary>
    /// Starts writing the open chunk as its rows come, its parts labelled when it ends (<see cref="ParquetPartWriter{TRow}.BeginPendingChunkAsync"/>),
    /// beginning with the rows that waited.
    /// </summary>
    private async ValueTask StreamChunkAsync(CancellationToken cancellationToken)
    {
        _streaming = true;
        await _instances.BeginPendingChunkAsync(cancellationToken).ConfigureAwait(false);
        await _quality.BeginPendingChunkAsync(cancellationToken).ConfigureAwait(false);
        await _deid.BeginPendingChunkAsync(cancellationToken).ConfigureAwait(false);
        DecodeSideBySide(_chunkInstances);
        foreach (var waiting in _chunkInstances)
        {
            await _instances.AddAsync(waiting.Row, cancellationToken).ConfigureAwait(false);
            await CountAsync(waiting, waiting: false, cancellationToken).ConfigureAwait(false);
        }

        _chunkInstances.Clear();
        _chunkQuality.Clear();
        _chunkDeid.Clear();
    }

    /// <summary>Ends the open chunk: its parts are taken over from the earlier output when its fingerprint is found there, written otherwise.</summary>
    private async ValueTask EndChunkAsync(CancellationToken cancellationToken)
    {
        var (fingerprint, allReused, rows) = _chunker!.Finish();
        if (rows > 0 && await RecordChunkAsync(fingerprint, allReused, cancellationToken).ConfigureAwait(false)) return;

        if (_streaming)
        {
            _streaming = false;
            await _instances.EndPendingChunkAsync(fingerprint, cancellationToken).ConfigureAwait(false);
            await _quality.EndPendingChunkAsync(fingerprint, cancellationToken).ConfigureAwait(false);
            await _deid.EndPendingChunkAsync(fingerprint, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (rows == 0) return;
        await FlushChunkAsync(_instances, InstancesTable.Name, _chunkInstances, static i => i.Row, fingerprint, allReused, cancellationToken).ConfigureAwait(false);
        await FlushChunkAsync(_quality, FindingsTables.Quality.Name, _chunkQuality, RowOf, fingerprint, allReused, cancellationToken).ConfigureAwait(false);
        await FlushChunkAsync(_deid, FindingsTables.Deidentification.Name, _chunkDeid, RowOf, fingerprint, allReused, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask FlushChunkAsync<TItem, TRow>(ParquetPartWriter<TRow> writer, string table, List<TItem> rows, Func<TItem, TRow> rowOf, string fingerprint,
        bool allReused, CancellationToken cancellationToken)
    {
        try
        {
            // A chunk without rows has no part, in this output or the earlier one.
            if (rows.Count == 0) return;
            if (allReused && await _reuse!.FindAsync(table, fingerprint, rows.Count, cancellationToken).ConfigureAwait(false) is { } parts)
            {
                await writer.AddExistingPartsAsync(parts, rows.Count, cancellationToken).ConfigureAwait(false);
                _reuse.Count(parts.Count, rows.Count);
                return;
            }

            await writer.BeginChunkAsync(fingerprint, cancellationToken).ConfigureAwait(false);
            // Rows taken from the index unread are loaded here, for the chunks that are written only.
            foreach (var row in rows) await writer.AddAsync(rowOf(row), cancellationToken).ConfigureAwait(false);
            await writer.BeginChunkAsync(null, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            rows.Clear();
        }
    }

    private static FindingRow RowOf(AuditFinding finding) => new()
    {
        Path = finding.Path,
        SopInstanceUid = finding.SopInstanceUid,
        Scope = ScopeName(finding.Rule.Scope),
        RuleId = finding.Rule.Id,
        Severity = Name(finding.Severity),
        TagPath = finding.TagPath,
        Detail = finding.Detail,
    };

    private async ValueTask WriteAsync(AuditFinding finding, AuditSummaryRow counts, bool waits, CancellationToken cancellationToken)
    {
        _byRule[finding.Rule.Id] = _byRule.GetValueOrDefault(finding.Rule.Id) + 1;
        if (finding.Rule.Category == RuleCategory.Quality)
        {
            if (waits) _chunkQuality.Add(finding);
            else await _quality.AddAsync(RowOf(finding), cancellationToken).ConfigureAwait(false);
            _qualityCounts[finding.Severity] = _qualityCounts.GetValueOrDefault(finding.Severity) + 1;
            counts.QualityFindings++;
        }
        else
        {
            if (waits) _chunkDeid.Add(finding);
            else await _deid.AddAsync(RowOf(finding), cancellationToken).ConfigureAwait(false);
            _deidCounts[finding.Severity] = _deidCounts.GetValueOrDefault(finding.Severity) + 1;
            counts.DeidFindings++;
        }

        if (_profile.Gate.Blocks(finding))
        {
            Blocking++;
            counts.BlockingFindings++;
            _blockingRules[finding.Rule.Id] = _blockingRules.GetValueOrDefault(finding.Rule.Id) + 1;
        }

        if (_profile.Gate.Quarantines(finding))
        {
            _marks.Add(new QuarantineMark(finding.Path, finding.SopInstanceUid, finding.Rule.Id, finding.Severity, counts.Centre));
        }
    }

    private AuditSummaryRow Centre(string centre)
    {
        if (!_centres.TryGetValue(centre, out var row))
        {
            row = new AuditSummaryRow { Centre = centre };
            _centres[centre] = row;
        }

        return row;
    }

    // One string per scope rather than two allocations per finding (there are several findings per file).
    private static string ScopeName(RuleScope scope) => scope switch
    {
        RuleScope.File => "file",
        RuleScope.Instance => "instance",
        RuleScope.Series => "series",
        RuleScope.Study => "study",
        RuleScope.Patient => "patient",
        RuleScope.Release => "release",
        _ => scope.ToString().ToLowerInvariant(),
    };

    private static string Name(Severity severity) => severity switch
    {
        Severity.Info => "info",
        Severity.Warning => "warning",
        Severity.Error => "error",
        _ => "critical",
    };

    /// <summary>What the collection rules know of one chunk of this run.</summary>
    /// <param name="FirstKey">Its first key.</param>
    /// <param name="Fingerprint">Its fingerprint.</param>
    /// <param name="Kept">The last run's state of it, when it is kept (none of its instances observed so far).</param>
    /// <param name="Keys">Per check, where its group keys (sorted) lie in the spill.</param>
    /// <param name="Tally">What the audit counted of it.</param>
    /// <param name="Rows">Instances in a kept chunk (0 for the others).</param>
    private sealed record ChunkRecord(string FirstKey, string Fingerprint, CollectionState.Chunk? Kept, KeyRange[] Keys, ChunkTally Tally, int Rows)
    {
        /// <summary>The kept chunk's findings per check, with this run's centres.</summary>
        public List<AuditFinding>[]? KeptFindings { get; init; }
    }

    public async ValueTask DisposeAsync()
    {
        _marks.Dispose();
        _keys.Dispose();
        await _instances.DisposeAsync().ConfigureAwait(false);
        await _quality.DisposeAsync().ConfigureAwait(false);
        await _deid.DisposeAsync().ConfigureAwait(false);
        await _quarantine.DisposeAsync().ConfigureAwait(false);
        await _summary.DisposeAsync().ConfigureAwait(false);
    }
}
