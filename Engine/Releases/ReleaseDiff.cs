using System.Globalization;
using System.Text;
using System.Text.Json;
using Nccid.Batch.Tables;
using Parquet.Serialization;

namespace Nccid.Batch.Releases;

/// <summary>
/// What changed between two releases: patients, studies and instances added, removed and changed, and which
/// clinical fields changed for how many patients.
/// </summary>
public sealed class ReleaseDiff
{
    /// <summary>Added, removed and changed keys of one entity.</summary>
    /// <param name="Entity">patients, studies or instances.</param>
    /// <param name="Added">Keys only in the newer release.</param>
    /// <param name="Removed">Keys only in the older release.</param>
    /// <param name="Changed">Keys in both whose row differs.</param>
    public sealed record EntityChanges(string Entity, IReadOnlyList<string> Added, IReadOnlyList<string> Removed, IReadOnlyList<string> Changed);

    /// <summary>Per entity.</summary>
    public required IReadOnlyList<EntityChanges> Entities { get; init; }

    /// <summary>Clinical field → number of patients (present in both) whose value changed.</summary>
    public required IReadOnlyDictionary<string, int> ClinicalFieldChanges { get; init; }

    /// <summary>Compares release folder <paramref name="older"/> with <paramref name="newer"/>.</summary>
    public static async Task<ReleaseDiff> CompareAsync(string older, string newer, CancellationToken cancellationToken)
    {
        var oldPatients = await ReadKeyedAsync(Path.Combine(older, "patients"), "pseudonym", cancellationToken).ConfigureAwait(false);
        var newPatients = await ReadKeyedAsync(Path.Combine(newer, "patients"), "pseudonym", cancellationToken).ConfigureAwait(false);
        var oldStudies = await ReadKeyedAsync(Path.Combine(older, "studies"), "study_instance_uid", cancellationToken).ConfigureAwait(false);
        var newStudies = await ReadKeyedAsync(Path.Combine(newer, "studies"), "study_instance_uid", cancellationToken).ConfigureAwait(false);
        var oldInstances = await ReadInstancesAsync(Path.Combine(older, InstancesTable.Name), cancellationToken).ConfigureAwait(false);
        var newInstances = await ReadInstancesAsync(Path.Combine(newer, InstancesTable.Name), cancellationToken).ConfigureAwait(false);

        var fieldChanges = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var (key, row) in newPatients)
        {
            if (!oldPatients.TryGetValue(key, out var before)) continue;
            foreach (var (field, value) in row)
            {
                if (field is "source_path" or "latest_file_date" or "file_count") continue;
                if (!before.TryGetValue(field, out var old) || old != value) fieldChanges[field] = fieldChanges.GetValueOrDefault(field) + 1;
            }
        }

        return new ReleaseDiff
        {
            Entities =
            [
                Compare("patients", oldPatients, newPatients, (a, b) => Canonical(a) == Canonical(b)),
                Compare("studies", oldStudies, newStudies, (a, b) => Canonical(a) == Canonical(b)),
                Compare("instances", oldInstances, newInstances, (a, b) => a == b),
            ],
            ClinicalFieldChanges = fieldChanges,
        };
    }

    /// <summary>A table and a short text summary for people.</summary>
    public string Describe(int maxKeys = 10)
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{"entity",-10} {"added",10} {"removed",10} {"changed",10}\n");
        foreach (var e in Entities) text.Append(inv, $"{e.Entity,-10} {e.Added.Count,10:N0} {e.Removed.Count,10:N0} {e.Changed.Count,10:N0}\n");
        if (ClinicalFieldChanges.Count > 0)
        {
            text.Append("clinical fields changed (patients): ")
                .Append(string.Join(", ", ClinicalFieldChanges.Select(kv => string.Create(inv, $"{kv.Key} {kv.Value:N0}")))).Append('\n');
        }

        foreach (var e in Entities)
        {
            foreach (var (label, keys) in new[] { ("added", e.Added), ("removed", e.Removed), ("changed", e.Changed) })
            {
                if (keys.Count == 0) continue;
                text.Append(inv, $"{e.Entity} {label}: {string.Join(", ", keys.Take(maxKeys))}{(keys.Count > maxKeys ? ", ..." : string.Empty)}\n");
            }
        }

        return text.ToString();
    }

    private static EntityChanges Compare<T>(string entity, SortedDictionary<string, T> older, SortedDictionary<string, T> newer, Func<T, T, bool> same)
    {
        var added = newer.Keys.Where(k => !older.ContainsKey(k)).ToArray();
        var removed = older.Keys.Where(k => !newer.ContainsKey(k)).ToArray();
        var changed = newer.Where(kv => older.TryGetValue(kv.Key, out var o) && !same(o, kv.Value)).Select(kv => kv.Key).ToArray();
        return new EntityChanges(entity, added, removed, changed);
    }

    private static string Canonical(IReadOnlyDictionary<string, string?> row) => string.Join("\u001f", row.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + kv.Value));

    private static async Task<SortedDictionary<string, IReadOnlyDictionary<string, string?>>> ReadKeyedAsync(string folder, string key, CancellationToken cancellationToken)
    {
        var result = new SortedDictionary<string, IReadOnlyDictionary<string, string?>>(StringComparer.Ordinal);
        if (!Directory.Exists(folder)) return result;
        foreach (var part in Directory.GetFiles(folder, "*.parquet").Order(StringComparer.Ordinal))
        {
            await using var stream = File.OpenRead(part);
            var table = await ParquetSerializer.DeserializeUntypedAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var row in table.Data)
            {
                var values = new Dictionary<string, string?>(StringComparer.Ordinal);
                foreach (var (column, value) in row) values[column] = value is null ? null : Text(value);
                if (values.TryGetValue(key, out var k) && k is not null) result[k] = values;
            }
        }

        return result;
    }

    private static string Text(object value) => value switch
    {
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        System.Collections.IEnumerable list => JsonSerializer.Serialize(list),
        _ => value.ToString() ?? string.Empty,
    };

    private static async Task<SortedDictionary<string, string>> ReadInstancesAsync(string folder, CancellationToken cancellationToken)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(folder)) return result;
        await foreach (var row in InstanceTableReader.ReadAsync(folder, cancellationToken).ConfigureAwait(false))
        {
            result[row.Path] = string.Create(CultureInfo.InvariantCulture, $"{row.Status}|{row.SizeBytes}|{row.ModifiedUtc:O}|{row.SopInstanceUid}|{row.StudyInstanceUid}|{row.SeriesInstanceUid}|{row.PatientId}");
        }

        return result;
    }
}
