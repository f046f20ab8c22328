using System.Globalization;
using Nccid.Batch.Storage;
using Parquet;

namespace Nccid.Batch.Tables;

/// <summary>
/// The part files of an earlier, published output that later runs may take over: each chunked part carries its
/// chunk's fingerprint in its Parquet key-value metadata (<see cref="MetadataKey"/>), read here on first use of a table.
/// A part is taken over only when its chunk's fingerprint is the new chunk's and, where the earlier output has a
/// manifest, when the file still has the SHA-256 and size it was published with: a damaged part is never carried into a
/// new output (its chunk is written again, and <see cref="Refused"/> says why). A missing or unreadable earlier output
/// simply gives nothing to take over.
/// </summary>
public sealed class PartReuse
{
    /// <summary>The key-value metadata entry holding "&lt;fingerprint&gt;/&lt;index of the part in its chunk&gt;".</summary>
    public const string MetadataKey = "nccid.chunk";

    /// <summary>How many problems <see cref="Refused"/> keeps word for word; the rest are counted.</summary>
    public const int RefusalsKept = 10;

    private readonly string? _directory;
    private readonly IReadOnlyDictionary<string, PublishedPart>? _published;
    private readonly Dictionary<string, Dictionary<string, List<(int Index, string File, long Rows)>>> _tables = new(StringComparer.Ordinal);
    private readonly List<string> _refused = [];
    private readonly Dictionary<(string Table, string Fingerprint, long Rows), IReadOnlyList<string>?> _answers = [];

    /// <summary>Takes over parts from the table folders under <paramref name="previousOutput"/> (null: nothing to take over).</summary>
    /// <param name="previousOutput">The earlier output.</param>
    /// <param name="published">Its parts as its manifest lists them (see <see cref="PartChunking.PublishedParts"/>); null to trust the footers.</param>
    public PartReuse(string? previousOutput, IReadOnlyDictionary<string, PublishedPart>? published = null)
    {
        _directory = previousOutput is not null && Directory.Exists(previousOutput) ? previousOutput : null;
        _published = published;
    }

    /// <summary>Chunks whose earlier parts were found but not taken over because a part did not match the manifest.</summary>
    public int RefusedCount { get; private set; }

    /// <summary>Why, for the first <see cref="RefusalsKept"/> of them: the part, and what did not match.</summary>
    public IReadOnlyList<string> Refused => _refused;

    /// <summary>Parts taken over so far.</summary>
    public int PartsTaken { get; private set; }

    /// <summary>Rows in the parts taken over so far.</summary>
    public long RowsTaken { get; private set; }

    /// <summary>
    /// The earlier parts of <paramref name="table"/> whose chunk has <paramref name="fingerprint"/>, in order; null when
    /// there are none, or when they do not hold <paramref name="rows"/> rows together (then the chunk is written). Asked
    /// again, it gives the same answer without looking again.
    /// </summary>
    public async Task<IReadOnlyList<string>?> FindAsync(string table, string fingerprint, long rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (_directory is null || fingerprint.Length == 0) return null;
        if (_answers.TryGetValue((table, fingerprint, rows), out var answer)) return answer;
        answer = await LookAsync(table, fingerprint, rows, cancellationToken).ConfigureAwait(false);
        _answers[(table, fingerprint, rows)] = answer;
        return answer;
    }

    private async Task<IReadOnlyList<string>?> LookAsync(string table, string fingerprint, long rows, CancellationToken cancellationToken)
    {
        if (!_tables.TryGetValue(table, out var chunks))
        {
            chunks = await LoadAsync(Path.Combine(_directory!, table), cancellationToken).ConfigureAwait(false);
            _tables[table] = chunks;
        }

        if (!chunks.TryGetValue(fingerprint, out var parts)) return null;
        var ordered = parts.OrderBy(p => p.Index).ToArray();
        for (var i = 0; i < ordered.Length; i++)
        {
            // A chunk whose parts are not numbered 0..n-1 is incomplete: write it again.
            if (ordered[i].Index != i) return null;
        }

        if (ordered.Sum(p => p.Rows) != rows) return null;
        var files = ordered.Select(p => p.File).ToArray();
        if (_published is not null && await MismatchAsync(table, files, cancellationToken).ConfigureAwait(false) is { } problem)
        {
            RefusedCount++;
            if (_refused.Count < RefusalsKept) _refused.Add(problem);
            return null;
        }

        return files;
    }

    /// <summary>The first of <paramref name="files"/> that is not as the manifest lists it, and how; null when all are.</summary>
    private async Task<string?> MismatchAsync(string table, string[] files, CancellationToken cancellationToken)
    {
        foreach (var file in files)
        {
            var relative = table + "/" + Path.GetFileName(file);
            var where = $"'{relative}' of '{_directory}'";
            if (!_published!.TryGetValue(relative, out var expected)) return where + " is not listed in its manifest";
            string actual;
            try
            {
                var length = new FileInfo(file).Length;
                if (length != expected.Bytes) return string.Create(CultureInfo.InvariantCulture, $"{where} has {length:N0} bytes, its manifest {expected.Bytes:N0}");
                actual = await FileHashes.Sha256Async(file, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return $"{where} cannot be read: {ex.Message}";
            }

            if (!string.Equals(actual, expected.Sha256, StringComparison.Ordinal)) return where + " does not match the SHA-256 in its manifest";
        }

        return null;
    }

    /// <summary>Counts a chunk taken over.</summary>
    public void Count(int parts, long rows)
    {
        PartsTaken += parts;
        RowsTaken += rows;
    }

    private static async Task<Dictionary<string, List<(int, string, long)>>> LoadAsync(string tableDirectory, CancellationToken cancellationToken)
    {
        var chunks = new Dictionary<string, List<(int, string, long)>>(StringComparer.Ordinal);
        if (!Directory.Exists(tableDirectory)) return chunks;
        foreach (var file in Directory.EnumerateFiles(tableDirectory, "part-*.parquet").Order(StringComparer.Ordinal))
        {
            string? label;
            long rowCount;
            try
            {
                var reader = await ParquetReader.CreateAsync(file, cancellationToken: cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    label = reader.CustomMetadata.GetValueOrDefault(MetadataKey);
                    rowCount = reader.Metadata?.NumRows ?? -1;
                }
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException or InvalidOperationException or NotSupportedException)
            {
                continue;
            }

            var slash = label?.LastIndexOf('/') ?? -1;
            if (slash <= 0 || !int.TryParse(label.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index)) continue;
            var fingerprint = label![..slash];
            if (!chunks.TryGetValue(fingerprint, out var list)) chunks[fingerprint] = list = [];
            list.Add((index, file, rowCount));
        }

        return chunks;
    }
}
