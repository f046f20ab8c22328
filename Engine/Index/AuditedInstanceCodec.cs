using System.Text.Json;
using Nccid.Batch.Audit;
using Nccid.Batch.Audit.Quality;
using Nccid.Batch.Tables;

namespace Nccid.Batch.Index;

/// <summary>
/// The codec of audited instances: the instances row (after redaction) as the entry's row, and as its meta payload the facts the collection rules need
/// (taken before redaction, so they cannot be rebuilt from the row), and the per-instance findings with their
/// rule ids; rules are looked up in the catalogue when decoded.
/// </summary>
public sealed class AuditedInstanceCodec : IIndexCodec<AuditedInstance>
{
    private readonly Dictionary<string, AuditRule> _rules = new(StringComparer.Ordinal);

    /// <summary>Creates the codec for <paramref name="profile"/>'s checks.</summary>
    public AuditedInstanceCodec(AuditProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        foreach (var check in AuditChecks.For(profile).InstanceChecks)
        {
            foreach (var rule in check.Rules) _rules.TryAdd(rule.Id, rule);
        }

        foreach (var rule in AuditChecks.Catalogue()) _rules.TryAdd(rule.Id, rule);
    }

    /// <inheritdoc />
    public string Kind => "audit";

    /// <inheritdoc />
    public bool DecodesRow => false;

    /// <inheritdoc />
    public (byte[] Meta, byte[] Row, string? Text) Encode(AuditedInstance row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return (AuditMetaCodec.Encode(row.Facts, row.Findings), InstanceRowCodec.EncodeRow(row.Row), row.Row.HeaderJson);
    }

    /// <inheritdoc />
    public AuditedInstance Decode(ScanIndexEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        // The row stays in the index until a changed chunk's table part needs it, the facts and findings until the
        // audit needs them: a chunk it keeps whole never does.
        return new AuditedInstance(() =>
        {
            var (row, text) = entry.LoadRow();
            return InstanceRowCodec.DecodeRow(row, text);
        }, entry.Key, entry.Size, entry.ModifiedTicks, () => AuditMetaCodec.Decode(entry.Payload, id => RuleOf(entry, id))) { FromIndex = true };
    }

    /// <summary>The collection facts of an entry (its meta payload), for rules that read a chunk back.</summary>
    public InstanceFacts DecodeFacts(ScanIndexEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return AuditMetaCodec.Decode(entry.Payload, id => RuleOf(entry, id)).Facts;
    }

    private AuditRule RuleOf(ScanIndexEntry entry, string id) => _rules.TryGetValue(id, out var rule)
        ? rule
        : throw new InvalidDataException($"An index entry of '{entry.Key}' names rule '{id}', which the catalogue does not hold.");

    /// <inheritdoc />
    public bool DependsOnReferenceDate(AuditedInstance row)
    {
        ArgumentNullException.ThrowIfNull(row);
        foreach (var f in row.Findings)
        {
            if (f.Rule.Id == QualityRules.FutureDate.Id) return true;
        }

        return false;
    }

}
