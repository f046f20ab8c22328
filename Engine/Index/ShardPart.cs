using Nccid.Batch.Audit;
using Nccid.Batch.Dicom;
using Nccid.Batch.Pipeline;
using Nccid.Batch.Storage;

namespace Nccid.Batch.Index;

/// <summary>
/// The part one shard of a cluster release writes: the index entries of the objects it read, in listing order, as a
/// scan index segment (a meta file and a rows file, <see cref="ScanIndexSegment"/>). The release's assembly merges the
/// parts of every shard back into listing order and takes their entries as the index's own (<see cref="Entries"/>),
/// so the tables are the bytes a single pass writes.
/// </summary>
internal static class ShardPart
{
    /// <summary>The meta file of the part whose files start with <paramref name="stem"/>.</summary>
    public static string MetaFile(string stem) => stem + ".meta";

    /// <summary>The rows file of the part whose files start with <paramref name="stem"/>.</summary>
    public static string RowsFile(string stem) => stem + ".rows";

    /// <summary>
    /// Scans and audits one shard of a source with the per-instance rules only, into a part of scan index entries that the
    /// release's assembly merges with the other shards' parts into listing order and takes instead of reading those
    /// objects again (<see cref="Entries"/>). The part appears complete or not at all.
    /// </summary>
    /// <param name="store">The shard's objects (listing in the source's order).</param>
    /// <param name="partStem">Where the part goes: its files start with this path.</param>
    /// <param name="profile">What to check.</param>
    /// <param name="options">Scan options.</param>
    /// <param name="referenceDate">"Today" for the future-date rules, fixed per release.</param>
    /// <param name="includeHeaderJson">Whether to fill header_json.</param>
    /// <param name="onStarted">Receives the live counters.</param>
    /// <param name="cancellationToken">Stops the shard; no part is left then.</param>
    public static async Task<ScanCounts> WriteAsync(IObjectStore store, string partStem, AuditProfile profile, ScanOptions options,
        DateOnly referenceDate, bool includeHeaderJson, Action<ScanProgress>? onStarted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(profile);
        var checks = AuditChecks.For(profile);
        var codec = new AuditedInstanceCodec(profile);
        // Each worker encodes its own entries, as a single host's indexed scan does.
        var pipeline = new ScanPipeline<ScanIndexEntry?>(store, options, () =>
        {
            var audit = new InstanceAuditor(checks, profile, referenceDate, includeHeaderJson).Audit;
            return (StoredObject stored, HeaderReader reader, HeaderReadResult result) => ScanIndexEntry.Of(codec, stored, result, audit(stored, reader, result));
        });
        onStarted?.Invoke(pipeline.Progress);
        var temp = partStem + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            using (var writer = new Writer(temp))
            {
                await pipeline.RunAsync(writer, cancellationToken).ConfigureAwait(false);
            }

            File.Move(MetaFile(temp), MetaFile(partStem), overwrite: true);
            File.Move(RowsFile(temp), RowsFile(partStem), overwrite: true);
        }
        finally
        {
            File.Delete(MetaFile(temp));
            File.Delete(RowsFile(temp));
        }

        return ScanCounts.From(pipeline.Progress);
    }

    /// <summary>Writes the entries of one shard as the pipeline hands them on; a null entry (not encodable) is left out.</summary>
    internal sealed class Writer(string stem) : IRowSink<ScanIndexEntry?>, IDisposable
    {
        private readonly ScanIndexSegment.Writer _segment = new(MetaFile(stem), RowsFile(stem));

        /// <summary>Entries left out: their objects are read by the assembly.</summary>
        public long LeftOut { get; private set; }

        public ValueTask AddAsync(ScanIndexEntry? row, CancellationToken cancellationToken)
        {
            if (row is null) LeftOut++;
            else _segment.Add(row);
            return ValueTask.CompletedTask;
        }

        public ValueTask CompleteAsync(CancellationToken cancellationToken)
        {
            _segment.Complete();
            return ValueTask.CompletedTask;
        }

        public void Dispose() => _segment.Dispose();
    }

    /// <summary>
    /// The entries of shards' parts (each in listing order), merged into listing order. An entry is passed over when its object is no longer listed, and
    /// refused when the object changed since its shard read it (the scan then reads it again).
    /// </summary>
    internal sealed class Entries : IPrecomputedEntries, IDisposable
    {
        // Every part stays open for the merge, two readers each, and a release of millions of files has thousands of
        // parts: small buffers take 16 KiB a part where the index's own 64 KiB ones would take 256 KiB (each reader's
        // inflater keeps its window besides).
        private const int BufferBytes = 4096;

        private readonly ScanIndexRows _rows;
        private readonly IEnumerator<ScanIndexEntry>[] _parts;
        private readonly PriorityQueue<int, string> _heads;
        private readonly Comparison<string> _order;
        private string? _previous;

        /// <summary>Opens the parts whose files start with <paramref name="stems"/>, to merge by <paramref name="order"/>.</summary>
        public Entries(IReadOnlyList<string> stems, Comparison<string> order)
        {
            _order = order;
            _heads = new PriorityQueue<int, string>(Comparer<string>.Create(order));
            _rows = new ScanIndexRows(stems.Select(RowsFile).ToArray(), interleaved: true, BufferBytes);
            _parts = new IEnumerator<ScanIndexEntry>[stems.Count];
            try
            {
                for (var i = 0; i < stems.Count; i++)
                {
                    _parts[i] = ScanIndexSegment.ReadMeta(MetaFile(stems[i]), _rows, i, BufferBytes).GetEnumerator();
                    Next(i);
                }
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        public bool TryTake(StoredObject stored, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ScanIndexEntry? entry)
        {
            entry = null;
            // Entries of objects no longer listed are passed over.
            while (_heads.TryPeek(out var part, out var key) && _order(key, stored.Key) < 0) Advance(part);
            if (!_heads.TryPeek(out var match, out var head) || !string.Equals(head, stored.Key, StringComparison.Ordinal)) return false;
            var found = _parts[match].Current;
            Advance(match);
            if (found.Size != stored.Size || found.ModifiedTicks != stored.ModifiedUtc.Ticks || !string.Equals(found.ETag, stored.ETag, StringComparison.Ordinal)) return false;
            entry = found;
            return true;
        }

        public void Dispose()
        {
            foreach (var part in _parts) part?.Dispose();
            _rows.Dispose();
        }

        private void Advance(int part)
        {
            _heads.Dequeue();
            var key = _parts[part].Current.Key;
            if (_previous is not null && _order(key, _previous) <= 0)
            {
                throw new InvalidDataException($"The shards' parts hold '{key}' twice or out of listing order.");
            }

            _previous = key;
            Next(part);
        }

        private void Next(int part)
        {
            if (_parts[part].MoveNext()) _heads.Enqueue(part, _parts[part].Current.Key);
        }
    }
}
