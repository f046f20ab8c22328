using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Nccid.Batch.Storage;

namespace Nccid.Batch.Index;

/// <summary>
/// An index folder on disk: generations <c>gen-NNNNNN-xxxxxxxx/</c> (an <c>index.json</c> header and
/// segments under <c>entries/</c>, see <see cref="ScanIndexSegment"/>) and a <c>CURRENT</c> pointer naming the one to use. A generation is written
/// under a hidden temporary name, made durable, renamed, and only then is <c>CURRENT</c> replaced (by rename), so
/// a crash at any point leaves the previous generation in force. Opening verifies every segment's checksum (XXH128:
/// the index guards against damage, not forgery, and is read whole at every run) before a single entry is used: an
/// index is trusted whole or not at all.
/// </summary>
public static class ScanIndexStore
{
    /// <summary>The pointer file's name.</summary>
    public const string PointerFile = "CURRENT";

    /// <summary>The generation header's name.</summary>
    public const string HeaderFile = "index.json";

    private const string EntriesFolder = "entries";

    private const string SegmentExtension = ".bin";

    /// <summary>
    /// Opens the generation <c>CURRENT</c> names and verifies it. Returns null with no problem when there is no
    /// index yet, null with the problem when there is one that cannot be trusted.
    /// </summary>
    public static async Task<(ScanIndexHeader? Header, string? Generation, string? Problem)> TryOpenAsync(string directory, CancellationToken cancellationToken)
    {
        var pointer = Path.Combine(directory, PointerFile);
        if (!File.Exists(pointer)) return (null, null, null);
        try
        {
            var name = (await File.ReadAllTextAsync(pointer, cancellationToken).ConfigureAwait(false)).Trim();
            if (!IsGenerationName(name)) return (null, null, $"{pointer} does not name a generation.");
            var generation = Path.Combine(directory, name);
            var headerPath = Path.Combine(generation, HeaderFile);
            if (!File.Exists(headerPath)) return (null, null, $"{headerPath} is missing.");
            ScanIndexHeader? header;
            await using (var stream = File.OpenRead(headerPath))
            {
                header = await JsonSerializer.DeserializeAsync<ScanIndexHeader>(stream, IndexJson.Header, cancellationToken).ConfigureAwait(false);
            }

            if (header is null) return (null, null, $"{headerPath} is empty.");
            if (header.Format != ScanIndexVersions.Format) return (null, null, string.Create(CultureInfo.InvariantCulture, $"{headerPath} has format {header.Format}, this engine reads {ScanIndexVersions.Format}."));
            var files = header.Parts.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            if (header.Segments.Any(c => !files.Contains(c.Meta) || !files.Contains(c.Rows))) return (null, null, $"{headerPath} names a segment file it does not list.");
            foreach (var part in header.Parts)
            {
                var file = FileOf(generation, part.Name);
                if (!File.Exists(file)) return (null, null, $"the segment {file} is missing.");
                if (new FileInfo(file).Length != part.Bytes || await FileHashes.Xxh128Async(file, cancellationToken).ConfigureAwait(false) != part.Xxh128)
                {
                    return (null, null, $"the segment {file} does not match its checksum in {headerPath}.");
                }
            }

            return (header, generation, null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
        {
            return (null, null, $"the index in {directory} cannot be read: {ex.Message}");
        }
    }

    /// <summary>Loads the rows of a verified generation's entries on demand.</summary>
    internal static ScanIndexRows OpenRows(string generation, ScanIndexHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        return new ScanIndexRows(header.Segments.Select(c => Path.Combine(generation, EntriesFolder, c.Rows)).ToArray());
    }

    /// <summary>The full path of the file <paramref name="name"/> of a generation.</summary>
    internal static string FileOf(string generation, string name) => Path.Combine(generation, EntriesFolder, name);

    /// <summary>The full paths of a segment's two files.</summary>
    internal static (string Meta, string Rows) FilesOf(string generation, ScanIndexChunk segment) =>
        (Path.Combine(generation, EntriesFolder, segment.Meta), Path.Combine(generation, EntriesFolder, segment.Rows));

    /// <summary>Starts a new generation: a hidden folder whose <c>entries/</c> receives the segments.</summary>
    public static (string Temporary, string EntriesDirectory) BeginGeneration(string directory)
    {
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, ".gen-" + Guid.NewGuid().ToString("N") + ".tmp");
        Directory.CreateDirectory(temporary);
        return (temporary, Path.Combine(temporary, EntriesFolder));
    }

    /// <summary>
    /// Makes the generation in <paramref name="temporary"/> current: writes its header (with the segments'
    /// checksums), renames the folder into place, replaces <c>CURRENT</c> by rename, then removes older generations.
    /// Files named in <paramref name="knownChecksums"/> (taken over from a generation verified when it was opened) are not hashed again.
    /// </summary>
    public static async Task<string> CommitAsync(string directory, string temporary, Func<IReadOnlyList<ScanIndexPart>, ScanIndexHeader> header, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? knownChecksums = null)
    {
        ArgumentNullException.ThrowIfNull(header);
        var entries = Path.Combine(temporary, EntriesFolder);
        var parts = new List<ScanIndexPart>();
        Directory.CreateDirectory(entries);
        foreach (var file in Directory.GetFiles(entries, "*" + SegmentExtension).Order(StringComparer.Ordinal))
        {
            var fileName = Path.GetFileName(file);
            parts.Add(new ScanIndexPart(fileName, knownChecksums?.GetValueOrDefault(fileName) ?? await FileHashes.Xxh128Async(file, cancellationToken).ConfigureAwait(false), new FileInfo(file).Length));
        }

        await WriteDurablyAsync(Path.Combine(temporary, HeaderFile), JsonSerializer.SerializeToUtf8Bytes(header(parts), IndexJson.Header), cancellationToken).ConfigureAwait(false);
        var name = string.Create(CultureInfo.InvariantCulture, $"gen-{NextNumber(directory):D6}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.Move(temporary, Path.Combine(directory, name));
        var pointerTemp = Path.Combine(directory, "." + PointerFile + ".tmp");
        await WriteDurablyAsync(pointerTemp, System.Text.Encoding.ASCII.GetBytes(name + "\n"), cancellationToken).ConfigureAwait(false);
        File.Move(pointerTemp, Path.Combine(directory, PointerFile), overwrite: true);
        RemoveOthers(directory, name);
        return Path.Combine(directory, name);
    }

    /// <summary>Removes a generation that was begun but not committed.</summary>
    public static void Abandon(string temporary)
    {
        if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
    }

    private static async Task WriteDurablyAsync(string path, byte[] bytes, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        stream.Flush(flushToDisk: true);
    }

    private static long NextNumber(string directory)
    {
        long max = 0;
        foreach (var dir in Directory.GetDirectories(directory, "gen-*"))
        {
            var name = Path.GetFileName(dir);
            if (IsGenerationName(name) && long.TryParse(name.AsSpan(4, 6), NumberStyles.None, CultureInfo.InvariantCulture, out var n)) max = Math.Max(max, n);
        }

        return max + 1;
    }

    /// <summary>Older generations and temporary folders left by runs that died; the current one stays.</summary>
    private static void RemoveOthers(string directory, string current)
    {
        foreach (var dir in Directory.GetDirectories(directory))
        {
            var name = Path.GetFileName(dir);
            if (name == current) continue;
            if (IsGenerationName(name) || (name.StartsWith(".gen-", StringComparison.Ordinal) && name.EndsWith(".tmp", StringComparison.Ordinal)))
            {
                try
                {
                    Directory.Delete(dir, recursive: true);
                }
                catch (IOException)
                {
                    // Another run may still be writing its temporary folder; the next commit removes it.
                }
            }
        }
    }

    private static bool IsGenerationName(string name) =>
        name.Length == 19 && name.StartsWith("gen-", StringComparison.Ordinal) && name[10] == '-' && name.AsSpan(4, 6).IndexOfAnyExceptInRange('0', '9') < 0;

    /// <summary>The index folder of one source under <paramref name="indexRoot"/>: its kind and a hash of its description.</summary>
    public static string DirectoryFor(string indexRoot, ScanIndexSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var id = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(settings.Source)))[..16];
        return Path.Combine(indexRoot, settings.Kind + "-" + id);
    }

    /// <summary>The names of segment <paramref name="number"/>'s two files.</summary>
    internal static (string Meta, string Rows) SegmentNames(int number) =>
        (string.Create(CultureInfo.InvariantCulture, $"seg-{number:D5}-meta{SegmentExtension}"), string.Create(CultureInfo.InvariantCulture, $"seg-{number:D5}-rows{SegmentExtension}"));
}
