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
    /// <remarks>
    /// A first release of millions of files has thousands of parts, but each holds a run of consecutive objects of one
    /// centre: a part is opened only when the listing reaches its first object and closed after its last, so only the
    /// parts whose runs span the listing's place (about one per centre) are open at a time, whatever their number.
    /// </remarks>
    internal sealed class Entries : IPrecomputedEntries, IDisposable
    {
        // Two readers a part, each with an inflater that keeps its window besides: small buffers keep an open part at 16 KiB
        // of buffers where the index's own 64 KiB ones would take 256 KiB.
        private const int BufferBytes = 4096;

        // Rows readers kept open at once: more than the parts a merge of consecutive runs has open, so none is closed early.
        internal const int MaxOpenRowsReaders = 64;

        private readonly IReadOnlyList<string> _stems;
        private readonly ScanIndexRows _rows;
        private readonly IEnumerator<ScanIndexEntry>?[] _parts;
        // Per part, the place of the last entry handed out: its row is the last that is loaded.
        private readonly long[] _lastHandedOut;
        private readonly (string Key, int Part)[] _starts;
        private readonly PriorityQueue<int, string> _heads;
        private readonly Comparison<string> _order;
        private int _nextStart;
        private string? _previous;

        /// <summary>Finds where the parts whose files start with <paramref name="stems"/> begin, to merge them by <paramref name="order"/>.</summary>
        public Entries(IReadOnlyList<string> stems, Comparison<string> order)
        {
            _stems = stems;
            _order = order;
            _heads = new PriorityQueue<int, string>(Comparer<string>.Create(order));
            _rows = new ScanIndexRows(stems.Select(RowsFile).ToArray(), interleaved: true, BufferBytes, MaxOpenRowsReaders);
            _parts = new IEnumerator<ScanIndexEntry>?[stems.Count];
            _lastHandedOut = Enumerable.Repeat(-1L, stems.Count).ToArray();
            var starts = new List<(string Key, int Part)>(stems.Count);
            for (var i = 0; i < stems.Count; i++)
            {
                // Only the first entry is read; an empty part is never opened again.
                foreach (var entry in ScanIndexSegment.ReadMeta(MetaFile(stems[i]), _rows, i, BufferBytes))
                {
                    starts.Add((entry.Key, i));
                    break;
                }
            }

            starts.Sort((a, b) => order(a.Key, b.Key) is var byKey and not 0 ? byKey : a.Part.CompareTo(b.Part));
            _starts = [.. starts];
        }

        /// <summary>Parts open at the moment.</summary>
        internal int OpenParts { get; private set; }

        /// <summary>The most parts that were open at once.</summary>
        internal int MostOpenParts { get; private set; }

        /// <summary>The most rows readers that were open at once.</summary>
        internal int MostOpenRowsReaders => _rows.MostOpen;

        public bool TryTake(StoredObject stored, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ScanIndexEntry? entry)
        {
            entry = null;
            // Objects are asked for in listing order: every part that begins at or before this one is open from here on.
            while (_nextStart < _starts.Length && _order(_starts[_nextStart].Key, stored.Key) <= 0) Open(_starts[_nextStart++].Part);
            // Entries of objects no longer listed are passed over.
            while (_heads.TryPeek(out var part, out var key) && _order(key, stored.Key) < 0) Advance(part);
            if (!_heads.TryPeek(out var match, out var head) || !string.Equals(head, stored.Key, StringComparison.Ordinal)) return false;
            var found = _parts[match]!.Current;
            var fresh = found.Size == stored.Size && found.ModifiedTicks == stored.ModifiedUtc.Ticks && string.Equals(found.ETag, stored.ETag, StringComparison.Ordinal);
            if (fresh) _lastHandedOut[match] = found.Ordinal;
            Advance(match);
            if (!fresh) return false;
            entry = found;
            return true;
        }

        public void Dispose()
        {
            foreach (var part in _parts) part?.Dispose();
            _rows.Dispose();
        }

        private void Open(int part)
        {
            _parts[part] = ScanIndexSegment.ReadMeta(MetaFile(_stems[part]), _rows, part, BufferBytes).GetEnumerator();
            OpenParts++;
            MostOpenParts = Math.Max(MostOpenParts, OpenParts);
            Next(part);
        }

        private void Advance(int part)
        {
            _heads.Dequeue();
            var key = _parts[part]!.Current.Key;
            if (_previous is not null && _order(key, _previous) <= 0)
            {
                throw new InvalidDataException($"The shards' parts hold '{key}' twice or out of listing order.");
            }

            _previous = key;
            Next(part);
        }

        private void Next(int part)
        {
            var entries = _parts[part]!;
            if (entries.MoveNext())
            {
                _heads.Enqueue(part, entries.Current.Key);
                return;
            }

            // The part's meta file is closed at its end, its rows file once the last row handed out is loaded.
            _rows.EndsAt(part, _lastHandedOut[part]);
            entries.Dispose();
            _parts[part] = null;
            OpenParts--;
        }
    }
}
