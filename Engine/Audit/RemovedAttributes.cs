using System.Collections.Frozen;
using Nccid.Batch.Audit.Deidentification;

namespace Nccid.Batch.Audit;

/// <summary>
/// The attributes a profile requires removing: those of PS3.15 Table E.1-1 whose action under the profile's
/// options is X, X/Z, X/D or X/Z/D, less the attributes the profile keeps. Z, D, U and C allow a value to stay
/// (empty, a dummy, a replaced UID, a cleaned value), so they are not in the set. What the release's PHI guard checks.
/// </summary>
public sealed class RemovedAttributes
{
    private readonly FrozenDictionary<uint, (string Keyword, string Action)> _byTag;
    private readonly FrozenDictionary<string, uint> _byKeyword;

    private RemovedAttributes(Dictionary<uint, (string Keyword, string Action)> byTag)
    {
        _byTag = byTag.ToFrozenDictionary();
        _byKeyword = byTag.ToFrozenDictionary(kv => kv.Value.Keyword, kv => kv.Key, StringComparer.Ordinal);
    }

    /// <summary>The attributes <paramref name="profile"/> requires removing.</summary>
    public static RemovedAttributes For(AuditProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var options = profile.Deidentification;
        var kept = options.KeepAttributes.ToHashSet(StringComparer.Ordinal);
        var byTag = new Dictionary<uint, (string, string)>();
        foreach (var row in BasicProfileTable.Instance.Rows)
        {
            if (row.Mask != uint.MaxValue || kept.Contains(row.Keyword)) continue;
            var action = row.Resolve(options);
            if (action is ProfileAction.X or ProfileAction.XZ or ProfileAction.XD or ProfileAction.XZD) byTag[row.Tag] = (row.Keyword, Code(action));
        }

        return new RemovedAttributes(byTag);
    }

    /// <summary>True when <paramref name="keyword"/> names an attribute of PS3.15 Table E.1-1.</summary>
    public static bool IsProfileAttribute(string keyword) => BasicProfileTable.Instance.ByKeyword.ContainsKey(keyword ?? string.Empty);

    /// <summary>The number of attributes in the set.</summary>
    public int Count => _byTag.Count;

    /// <summary>True, with its tag, when the attribute named <paramref name="keyword"/> must be removed.</summary>
    public bool TryGetTag(string keyword, out uint tag) => _byKeyword.TryGetValue(keyword, out tag);

    /// <summary>True when the attribute <paramref name="tag"/> must be removed.</summary>
    public bool Contains(uint tag) => _byTag.ContainsKey(tag);

    /// <summary>The keyword of a removed attribute.</summary>
    public string KeywordOf(uint tag) => _byTag[tag].Keyword;

    /// <summary>The action in force for a removed attribute, as the standard writes it (e.g. X/Z/D).</summary>
    public string ActionOf(uint tag) => _byTag[tag].Action;

    private static string Code(ProfileAction action) => action switch
    {
        ProfileAction.XZ => "X/Z",
        ProfileAction.XD => "X/D",
        ProfileAction.XZD => "X/Z/D",
        _ => action.ToString(),
    };
}
