using System.Globalization;
using System.Text.Json;

namespace Nccid.Batch.Releases;

/// <summary>
/// What <see cref="PhiGuard"/> found in each part (the removed tags in its header_json and the values of its guarded
/// columns), by the part's SHA-256, for one profile's rules: a part taken over unchanged from the previous release is
/// not read again. The file keeps the parts of the last check only, is replaced whole (written aside, then renamed)
/// and is ignored when unreadable, of another layout or made for other rules.
/// </summary>
internal sealed class PhiGuardCache
{
    private readonly string? _file;
    private readonly string _rules;
    /// <summary>The file's layout: a file of another layout is ignored (the first kept header_json tags only).</summary>
    private const int Layout = 2;

    private readonly Dictionary<string, PartContents> _earlier;
    private readonly SortedDictionary<string, PartContents> _kept = new(StringComparer.Ordinal);

    private PhiGuardCache(string? file, string rules, Dictionary<string, PartContents> earlier)
    {
        _file = file;
        _rules = rules;
        _earlier = earlier;
    }

    /// <summary>Reads <paramref name="file"/> (null: no cache) for the rules with hash <paramref name="rules"/>.</summary>
    public static PhiGuardCache Load(string? file, string rules)
    {
        var earlier = new Dictionary<string, PartContents>(StringComparer.Ordinal);
        if (file is not null && File.Exists(file))
        {
            try
            {
                var stored = JsonSerializer.Deserialize<Stored>(File.ReadAllBytes(file));
                if (stored is not null && stored.Layout == Layout && stored.Rules == rules)
                {
                    foreach (var (sha256, part) in stored.Parts)
                    {
                        var tags = part.Tags?.ToDictionary(kv => uint.Parse(kv.Key, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture), kv => kv.Value);
                        earlier[sha256] = new PartContents(tags, new Dictionary<string, long>(part.Columns, StringComparer.Ordinal));
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

    /// <summary>
    /// What was found earlier in the part with <paramref name="sha256"/>, if that covered every one of <paramref name="columns"/>
    /// and, when <paramref name="headerJson"/>, its header_json.
    /// </summary>
    // Only reads what Load read, so several parts may be looked up at once.
    public bool TryGet(string sha256, string[] columns, bool headerJson, out PartContents contents)
    {
        if (_earlier.TryGetValue(sha256, out contents!) && (!headerJson || contents.Tags is not null) && columns.All(contents.Columns.ContainsKey)) return true;
        contents = null!;
        return false;
    }

    /// <summary>Records what was found in a part checked in this run.</summary>
    public void Keep(string sha256, PartContents contents) => _kept[sha256] = contents;

    /// <summary>Replaces the file with the parts of this check.</summary>
    public void Save()
    {
        if (_file is null) return;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(_file))!);
        var stored = new Stored
        {
            Layout = Layout,
            Rules = _rules,
            Parts = _kept.ToDictionary(kv => kv.Key, kv => new StoredPart
            {
                Tags = kv.Value.Tags?.ToDictionary(t => t.Key.ToString("X8", CultureInfo.InvariantCulture), t => t.Value),
                Columns = kv.Value.Columns,
            }, StringComparer.Ordinal),
        };
        var temporary = _file + ".tmp";
        File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(stored));
        File.Move(temporary, _file, overwrite: true);
    }

    private sealed class Stored
    {
        public int Layout { get; init; }

        public string Rules { get; init; } = string.Empty;

        public Dictionary<string, StoredPart> Parts { get; init; } = [];
    }

    private sealed class StoredPart
    {
        public Dictionary<string, long>? Tags { get; init; }

        public Dictionary<string, long> Columns { get; init; } = [];
    }
}
