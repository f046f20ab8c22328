using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Nccid.Batch.Releases;

/// <summary>
/// Assigns patients to training or validation and remembers the assignment: once a patient has a group it never
/// changes in later releases, even if the policy does. The state lives in <c>releases/state/splits.json</c>.
/// </summary>
public sealed class SplitAssigner
{
    // One entry per patient ever released: a hash table, sorted only when saved.
    private readonly Dictionary<string, string> _groups;
    private readonly SplitPolicy _policy;

    private SplitAssigner(SplitPolicy policy, Dictionary<string, string> groups)
    {
        _policy = policy;
        _groups = groups;
    }

    /// <summary>Assignments so far (pseudonym → training/validation), in no particular order.</summary>
    public IReadOnlyDictionary<string, string> Groups => _groups;

    /// <summary>Loads the stored assignments (none when the file does not exist yet).</summary>
    public static SplitAssigner Load(string stateFile, SplitPolicy policy)
    {
        var groups = new Dictionary<string, string>(StringComparer.Ordinal);
        if (File.Exists(stateFile))
        {
            var stored = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(stateFile))
                ?? throw new InvalidDataException($"{stateFile}: the split state is empty.");
            // Every patient's group is one of two names: one copy of each is kept, not one per patient.
            foreach (var (k, v) in stored) groups[k] = v switch { "training" => "training", "validation" => "validation", _ => v };
        }

        return new SplitAssigner(policy, groups);
    }

    /// <summary>The hash rule: SHA-512 of the upper-cased pseudonym as an unsigned big-endian integer, mod 100.</summary>
    public static int Bucket(string pseudonym)
    {
        ArgumentNullException.ThrowIfNull(pseudonym);
        var hash = SHA512.HashData(Encoding.UTF8.GetBytes(pseudonym.ToUpperInvariant()));
        return (int)(new BigInteger(hash, isUnsigned: true, isBigEndian: true) % 100);
    }

    /// <summary>
    /// The patient's group: the stored one if any; else the folder's (<paramref name="folderSplit"/>, from the warehouse
    /// layout); else by the centre's mode. A stored group that disagrees with the folder is an error: the patient would
    /// land in both groups.
    /// </summary>
    public string Assign(string pseudonym, string? centre, string? folderSplit)
    {
        if (_groups.TryGetValue(pseudonym, out var stored))
        {
            if (folderSplit is not null && folderSplit != stored)
            {
                throw new SplitConflictException(
                    $"Patient {pseudonym} was released in '{stored}' before but is now submitted under '{folderSplit}'; a patient may not move between training and validation.");
            }

            return stored;
        }

        var group = folderSplit ?? _policy.ModeOf(centre) switch
        {
            "training" => "training",
            "validation" => "validation",
            _ => Bucket(pseudonym) < _policy.TrainingPercent ? "training" : "validation",
        };
        _groups[pseudonym] = group;
        return group;
    }

    /// <summary>Writes the state, sorted by pseudonym (temporary file and rename, so a crash never leaves half a file).</summary>
    public void Save(string stateFile)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(stateFile)!);
        var temp = stateFile + ".tmp";
        var sorted = new SortedDictionary<string, string>(_groups, StringComparer.Ordinal);
        File.WriteAllText(temp, JsonSerializer.Serialize(sorted, new JsonSerializerOptions { WriteIndented = true }));
        File.Move(temp, stateFile, overwrite: true);
    }
}
