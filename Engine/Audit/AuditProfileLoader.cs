using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nccid.Batch.Audit;

/// <summary>
/// Reads an audit profile from a JSON file or picks a built-in one by name. Errors name the file, the JSON path
/// and what is allowed.
/// </summary>
public static class AuditProfileLoader
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    /// <summary>A built-in profile name (basic, nccid) or the path of a JSON profile file.</summary>
    /// <exception cref="AuditProfileException">The file cannot be read or is invalid (every problem is listed).</exception>
    public static AuditProfile Load(string nameOrPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(nameOrPath);
        if (AuditProfile.BuiltIn(nameOrPath) is { } builtIn) return builtIn;
        if (!File.Exists(nameOrPath))
        {
            throw new AuditProfileException($"{nameOrPath}: no such file, and not a built-in profile (allowed: basic, nccid).");
        }

        AuditProfile? profile;
        try
        {
            profile = JsonSerializer.Deserialize<AuditProfile>(File.ReadAllText(nameOrPath), Options);
        }
        catch (JsonException ex)
        {
            throw new AuditProfileException($"{nameOrPath}: at {ex.Path ?? "$"} (line {ex.LineNumber + 1}): {ex.Message}");
        }

        if (profile is null) throw new AuditProfileException($"{nameOrPath}: the file holds no profile object.");
        var problems = Validate(profile);
        if (problems.Count > 0) throw new AuditProfileException(nameOrPath + ": " + string.Join(" ", problems));
        return profile;
    }

    /// <summary>Every problem with a profile: unknown rule ids, bad thresholds, an invalid hospital-number pattern.</summary>
    public static IReadOnlyList<string> Validate(AuditProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var problems = new List<string>();
        var known = AuditChecks.Catalogue().Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var id in profile.Rules.Keys)
        {
            if (!known.Contains(id)) problems.Add($"At $.rules.{id}: unknown rule id (see `nccid-batch rules`).");
        }

        if (profile.SliceSpacingToleranceMm is < 0 or > 100) problems.Add("At $.sliceSpacingToleranceMm: must be between 0 and 100.");
        if (profile.Deidentification.HospitalNumberPattern is { } pattern)
        {
            try
            {
                _ = new System.Text.RegularExpressions.Regex(pattern, System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromMilliseconds(100));
            }
            catch (ArgumentException ex)
            {
                problems.Add("At $.deidentification.hospitalNumberPattern: not a valid regular expression: " + ex.Message);
            }
        }

        return problems;
    }
}
