using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Nccid.Batch.Pipeline;
using Nccid.Batch.Tables;

namespace Nccid.Batch.Audit;

/// <summary>
/// The part file of one shard of a release: its audited instances (instances row, facts for the collection rules,
/// per-instance findings), one gzip-compressed JSON line each, tagged with the object's place in the listing of the
/// whole source so that the parts of all shards merge back into the order of a single pass. JSON numbers round-trip
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

        public InstanceRow Row { get; set; } = new();

        public InstanceFacts Facts { get; set; } = new() { Path = string.Empty };

        public List<FindingLine> Findings { get; set; } = [];
    }

    private sealed record FindingLine(string Rule, Severity Severity, string? SopInstanceUid, string TagPath, string Detail);

    /// <summary>A sink that writes the audited instances of one shard to <paramref name="path"/>.</summary>
    /// <param name="path">The part file (written as is; the caller renames it into place when complete).</param>
    /// <param name="listingIndex">The place of a path in the listing of the whole source.</param>
    public static Writer Create(string path, Func<string, long> listingIndex) => new(path, listingIndex);

    /// <summary>Reads a part file in its order (ascending listing index), rebuilding findings with the rules of <paramref name="rules"/>.</summary>
    public static async IAsyncEnumerable<(long Index, AuditedInstance Instance)> ReadAsync(string path, IReadOnlyDictionary<string, AuditRule> rules,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        var number = 0;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } text)
        {
            number++;
            var line = JsonSerializer.Deserialize<Line>(text, Json) ?? throw new InvalidDataException($"{path}: line {number} is empty.");
            var findings = new AuditFinding[line.Findings.Count];
            for (var i = 0; i < findings.Length; i++)
            {
                var f = line.Findings[i];
                if (!rules.TryGetValue(f.Rule, out var rule)) throw new InvalidDataException($"{path}: line {number} names rule {f.Rule}, which the audit profile does not have.");
                findings[i] = new AuditFinding(rule, f.Severity, line.Row.Path, f.SopInstanceUid, f.TagPath, f.Detail);
            }

            yield return (line.Index, new AuditedInstance(line.Row, line.Facts, findings));
        }
    }

    /// <summary>Merges part files, each in ascending listing order, into one sequence in listing order.</summary>
    public static async IAsyncEnumerable<AuditedInstance> MergeAsync(IReadOnlyList<string> paths, IReadOnlyDictionary<string, AuditRule> rules,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var readers = paths.Select(p => ReadAsync(p, rules, cancellationToken).GetAsyncEnumerator(cancellationToken)).ToArray();
        try
        {
            var heads = new PriorityQueue<int, long>();
            var current = new (long Index, AuditedInstance Instance)[readers.Length];
            for (var i = 0; i < readers.Length; i++)
            {
                if (await readers[i].MoveNextAsync().ConfigureAwait(false))
                {
                    current[i] = readers[i].Current;
                    heads.Enqueue(i, current[i].Index);
                }
            }

            var previous = -1L;
            while (heads.TryDequeue(out var i, out var index))
            {
                if (index <= previous) throw new InvalidDataException($"{paths[i]}: listing index {index} appears twice or out of order.");
                previous = index;
                yield return current[i].Instance;
                if (await readers[i].MoveNextAsync().ConfigureAwait(false))
                {
                    current[i] = readers[i].Current;
                    heads.Enqueue(i, current[i].Index);
                }
            }
        }
        finally
        {
            foreach (var reader in readers) await reader.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Writes audited instances as they arrive from the pipeline.</summary>
    internal sealed class Writer : IRowSink<AuditedInstance>, IAsyncDisposable
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

        public async ValueTask AddAsync(AuditedInstance row, CancellationToken cancellationToken)
        {
            var line = new Line
            {
                Index = _listingIndex(row.Row.Path), Row = row.Row, Facts = row.Facts,
                Findings = row.Findings.Select(f => new FindingLine(f.Rule.Id, f.Severity, f.SopInstanceUid, f.TagPath, f.Detail)).ToList(),
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
}
