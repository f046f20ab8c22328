using System.Globalization;
using System.Text.Json;

namespace Nccid.Batch.Releases;

/// <summary>
/// The removed tags <see cref="PhiGuard"/> found in each part's header_json, by the part's SHA-256, for one profile's
/// rules: a part taken over unchanged from the previous release is not read again. The file keeps the parts of the
/// last check only, is replaced whole (written aside, then renamed) and is ignored when unreadable or made for other rules.
/// </summary>
internal sealed class PhiGuardCache
{
    private readonly string? _file;
    private readonly string _rules;
    private readonly Dictionary<string, Dictionary<uint, long>> _earlier;
    private readonly SortedDictionary<string, Dictionary<uint, long>> _kept = new(StringComparer.Ordinal);

    private PhiGuardCache(string? file, string rules, Dictionary<string, Dictionary<uint, long>> earlier)
    {
        _file = file;
        _rules = rules;
        _earlier = earlier;
    }

    /// <summary>Reads <paramref name="file"/> (null: no cache) for the rules with hash <paramref name="rules"/>.</summary>
    public static PhiGuardCache Load(string? file, string rules)
    {
        var earlier = new Dictionary<string, Dictionary<uint, long>>(StringComparer.Ordinal);
        if (file is not null && File.Exists(file))
        {
            try
            {
                var stored = JsonSerializer.Deserialize<Stored>(File.ReadAllBytes(file));
                if (stored is not null && stored.Rules == rules)
                {
                    foreach (var (sha256, tags) in stored.Parts)
                    {
                        earlier[sha256] = tags.ToDictionary(kv => uint.Parse(kv.Key, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture), kv => kv.Value);
                    }
                }
            }
            catch (Exception ex) when (ex is JsonException or IOException or FormatException or OverflowException or UnauthorizedAccessException)
            {
                // A cache is only a shortcut: every part is read again and the file replaced.
                earlier.Clear();
            }
        }

        return new PhiGuardCache(file, rules, earlier);
    }

    /// <summary>The tags found earlier in the part with <paramref name="sha256"/>.</summary>
    // Only reads what Load read, so several parts may be looked up at once.
    public bool TryGet(string sha256, out Dictionary<uint, long> tags) => _earlier.TryGetValue(sha256, out tags!);

    /// <summary>Records the tags of a part checked in this run.</summary>
    public void Keep(string sha256, Dictionary<uint, long> tags) => _kept[sha256] = tags;

    /// <summary>Replaces the file with the parts of this check.</summary>
    public void Save()
    {
        if (_file is null) return;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(_file))!);
        var stored = new Stored
        {
            Rules = _rules,
            Parts = _kept.ToDictionary(kv => kv.Key, kv => kv.Value.ToDictionary(t => t.Key.ToString("X8", CultureInfo.InvariantCulture), t => t.Value), StringComparer.Ordinal),
        };
        var temporary = _file + ".tmp";
        File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(stored));
        File.Move(temporary, _file, overwrite: true);
    }

    private sealed class Stored
    {
        public string Rules { get; init; } = string.Empty;

        public Dictionary<string, Dictionary<string, long>> Parts { get; init; } = [];
    }
}
