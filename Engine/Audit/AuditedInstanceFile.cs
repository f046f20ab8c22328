using System.IO.Compression;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Nccid.Batch.Dicom;
using Nccid.Batch.Index;
using Nccid.Batch.Pipeline;
using Nccid.Batch.Storage;
using Nccid.Batch.Tables;

namespace Nccid.Batch.Audit;

/// <summary>
/// The part file of one shard of a release: its audited instances (instances row, facts for the collection rules,
/// per-instance findings), one gzip-compressed JSON line each, tagged with the object's place in the listing of the
/// whole source and the version of the object that was read (size, time, entity tag), so that the assembly takes the
/// parts of all shards in the order of a single pass and only for objects still as they were. JSON numbers round-trip
/// exactly, so the tables written from merged parts are the bytes a single pass writes.
/// </summary>
internal static class AuditedInstanceFile
{
    private static readonly JsonSerializerOptions Json = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>One line of a part file.</summary>
    private sealed class Line
    {
        public long Index { get; set; }

        public string Key { get; set; } = string.Empty;

        public long Size { get; set; }

        public long ModifiedTicks { get; set; }

        public string? ETag { get; set; }

        public DicomErrorKind? Error { get; set; }

        public long BytesRead { get; set; }

        public int Requests { get; set; }

        public InstanceRow Row { get; set; } = new();

        public InstanceFacts Facts { get; set; } = new() { Path = string.Empty };

        public List<FindingLine> Findings { get; set; } = [];
    }

    private sealed record FindingLine(string Rule, Severity Severity, string? SopInstanceUid, string TagPath, string Detail);

    /// <summary>A sink that writes the audited instances of one shard to <paramref name="path"/>.</summary>
    /// <param name="path">The part file (written as is; the caller renames it into place when complete).</param>
    /// <param name="listingIndex">The place of a key in the listing of the whole source.</param>
    public static Writer Create(string path, Func<string, long> listingIndex) => new(path, listingIndex);

    /// <summary>
    /// The rows of <paramref name="paths"/> (each in ascending listing order), merged into listing order, for an
    /// indexed scan of the whole source to take instead of reading the objects again; findings are rebuilt with the
    /// rules of <paramref name="rules"/>.
    /// </summary>
    public static Rows Open(IReadOnlyList<string> paths, IReadOnlyDictionary<string, AuditRule> rules, Comparison<string> order) => new(paths, rules, order);

    /// <summary>An audited instance of a shard, with the object it was read from and what the read recorded.</summary>
    internal readonly record struct Sharded(AuditedInstance Instance, StoredObject Object, DicomErrorKind ErrorKind, long BytesRead, int Requests);

    /// <summary>Writes audited instances as they arrive from the pipeline.</summary>
    internal sealed class Writer : IRowSink<Sharded>, IAsyncDisposable
    {
        private readonly FileStream _file;
        private readonly GZipStream _gzip;
        private readonly Func<string, long> _listingIndex;

        public Writer(string path, Func<string, long> listingIndex)
        {
            _file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            _gzip = new GZipStream(_file, CompressionLevel.Fastest);
            _listingIndex = listingIndex;
        }

        public async ValueTask AddAsync(Sharded row, CancellationToken cancellationToken)
        {
            var stored = row.Object;
            var line = new Line
            {
                Index = _listingIndex(stored.Key), Key = stored.Key, Size = stored.Size, ModifiedTicks = stored.ModifiedUtc.Ticks, ETag = stored.ETag,
                Error = row.ErrorKind == DicomErrorKind.None ? null : row.ErrorKind, BytesRead = row.BytesRead, Requests = row.Requests,
                Row = row.Instance.Row, Facts = row.Instance.Facts,
                Findings = row.Instance.Findings.Select(f => new FindingLine(f.Rule.Id, f.Severity, f.SopInstanceUid, f.TagPath, f.Detail)).ToList(),
            };
            await JsonSerializer.SerializeAsync(_gzip, line, Json, cancellationToken).ConfigureAwait(false);
            _gzip.WriteByte((byte)'\n');
        }

        public async ValueTask CompleteAsync(CancellationToken cancellationToken)
        {
            await _gzip.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        public async ValueTask DisposeAsync()
        {
            await _gzip.DisposeAsync().ConfigureAwait(false);
            await _file.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The merged rows of a release's parts, handed out in listing order (see <see cref="IPrecomputedRows{TRow}"/>).
    /// A row is passed over when its object is no longer listed, and refused when the object changed since its shard
    /// read it (the scan then reads it again); both are counted.
    /// </summary>
    internal sealed class Rows : IPrecomputedRows<AuditedInstance>, IDisposable
    {
        private readonly IReadOnlyList<string> _paths;
        private readonly StreamReader[] _readers;
        private readonly int[] _lineNumbers;
        private readonly Line?[] _current;
        private readonly PriorityQueue<int, long> _heads = new();
        private readonly IReadOnlyDictionary<string, AuditRule> _rules;
        private readonly Comparison<string> _order;
        private long _previous = -1;

        public Rows(IReadOnlyList<string> paths, IReadOnlyDictionary<string, AuditRule> rules, Comparison<string> order)
        {
            _paths = paths;
            _rules = rules;
            _order = order;
            _readers = new StreamReader[paths.Count];
            _lineNumbers = new int[paths.Count];
            _current = new Line?[paths.Count];
            try
            {
                for (var i = 0; i < paths.Count; i++)
                {
                    _readers[i] = new StreamReader(new GZipStream(File.OpenRead(paths[i]), CompressionMode.Decompress));
                    Next(i);
                }
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        /// <summary>Rows taken by the scan.</summary>
        public long Taken { get; private set; }

        /// <summary>Rows refused because their object changed after its shard read it.</summary>
        public long Stale { get; private set; }

        /// <summary>Rows passed over because their object was no longer listed.</summary>
        public long Gone { get; private set; }

        public bool TryTake(StoredObject stored, out PrecomputedRow<AuditedInstance> row)
        {
            row = default;
            while (Head() is { } head && _order(head.Line.Key, stored.Key) < 0)
            {
                Gone++;
                Advance(head.Reader);
            }

            if (Head() is not { } match || !string.Equals(match.Line.Key, stored.Key, StringComparison.Ordinal)) return false;
            Advance(match.Reader);
            var line = match.Line;
            if (line.Size != stored.Size || line.ModifiedTicks != stored.ModifiedUtc.Ticks || !string.Equals(line.ETag, stored.ETag, StringComparison.Ordinal))
            {
                Stale++;
                return false;
            }

            var findings = new AuditFinding[line.Findings.Count];
            for (var i = 0; i < findings.Length; i++)
            {
                var f = line.Findings[i];
                if (!_rules.TryGetValue(f.Rule, out var rule))
                {
                    throw new InvalidDataException($"{_paths[match.Reader]}: the line for {line.Key} names rule {f.Rule}, which the audit profile does not have.");
                }

                findings[i] = new AuditFinding(rule, f.Severity, line.Row.Path, f.SopInstanceUid, f.TagPath, f.Detail);
            }

            Taken++;
            row = new PrecomputedRow<AuditedInstance>(new AuditedInstance(line.Row, line.Facts, findings), line.Error ?? DicomErrorKind.None, line.BytesRead, line.Requests);
            return true;
        }

        public void Dispose()
        {
            foreach (var reader in _readers) reader?.Dispose();
        }

        private (Line Line, int Reader)? Head() => _heads.TryPeek(out var i, out _) ? (_current[i]!, i) : null;

        private void Advance(int reader)
        {
            _heads.Dequeue();
            var index = _current[reader]!.Index;
            if (index <= _previous)
            {
                throw new InvalidDataException($"{_paths[reader]}: line {_lineNumbers[reader]}: listing index {index} appears twice or out of order.");
            }

            _previous = index;
            Next(reader);
        }

        private void Next(int reader)
        {
            _current[reader] = null;
            if (_readers[reader].ReadLine() is not { } text) return;
            var number = ++_lineNumbers[reader];
            var line = JsonSerializer.Deserialize<Line>(text, Json) ?? throw new InvalidDataException($"{_paths[reader]}: line {number} is empty.");
            _current[reader] = line;
            _heads.Enqueue(reader, line.Index);
        }
    }
}
