using System.Text.Json;
using Nccid.Batch.Audit;
using Nccid.Batch.Audit.Quality;
using Nccid.Batch.Tables;

namespace Nccid.Batch.Index;

/// <summary>
/// The codec of audited instances: the instances row (after redaction), the facts the collection rules need
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
    public string Encode(AuditedInstance row, out string? text)
    {
        ArgumentNullException.ThrowIfNull(row);
        var findings = new FindingPayload[row.Findings.Length];
        for (var i = 0; i < findings.Length; i++)
        {
            var f = row.Findings[i];
            findings[i] = new FindingPayload(f.Rule.Id, f.Severity, f.Path, f.SopInstanceUid, f.TagPath, f.Detail);
        }

        return InstanceRowCodec.Encode(row.Row, new Payload(row.Row, row.Facts, findings), IndexJson.Payload, out text);
    }

    /// <inheritdoc />
    public AuditedInstance Decode(string payload, string? text)
    {
        var p = JsonSerializer.Deserialize<Payload>(payload, IndexJson.Payload) ?? throw new InvalidDataException("An index entry holds no audited instance.");
        p.Row.HeaderJson = text;
        var findings = new AuditFinding[p.Findings.Length];
        for (var i = 0; i < findings.Length; i++)
        {
            var f = p.Findings[i];
            if (!_rules.TryGetValue(f.Rule, out var rule)) throw new InvalidDataException($"An index entry of '{p.Row.Path}' names rule '{f.Rule}', which the catalogue does not hold.");
            findings[i] = new AuditFinding(rule, f.Severity, f.Path, f.Sop, f.TagPath, f.Detail);
        }

        return new AuditedInstance(p.Row, p.Facts, findings) { FromIndex = true };
    }

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

    internal sealed record Payload(InstanceRow Row, InstanceFacts Facts, FindingPayload[] Findings);

    internal sealed record FindingPayload(string Rule, Severity Severity, string Path, string? Sop, string TagPath, string Detail);
}
