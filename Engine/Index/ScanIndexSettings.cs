using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Nccid.Batch.Audit;
using Nccid.Batch.Pipeline;
using Nccid.Batch.Storage;

namespace Nccid.Batch.Index;

/// <summary>
/// What a scan's rows depend on besides the files' bytes. An index is reused only when these match the run's
/// (the reference date only moving forward), and the first difference found is the reason recorded for a full scan.
/// </summary>
/// <param name="Kind">What the rows are: "scan" or "audit".</param>
/// <param name="Source">The scanned root (<see cref="IObjectStore.Description"/>).</param>
/// <param name="ScanSettings">SHA-256 of the settings that change the rows: the reader's limits, the first read size and header_json.</param>
/// <param name="Rules">SHA-256 of the audit profile, the rule catalogue and <see cref="ScanIndexVersions.Rules"/>; null for a scan.</param>
/// <param name="ReferenceDate">The audit's "today"; null for a scan.</param>
public sealed record ScanIndexSettings(string Kind, string Source, string ScanSettings, string? Rules, DateOnly? ReferenceDate)
{
    /// <summary>The parser version (<see cref="ScanIndexVersions.Parser"/> unless a test says otherwise).</summary>
    public int ParserVersion { get; init; } = ScanIndexVersions.Parser;

    /// <summary>The settings of a <c>scan</c> run.</summary>
    public static ScanIndexSettings ForScan(IObjectStore store, ScanOptions options, bool includeHeaderJson)
    {
        ArgumentNullException.ThrowIfNull(store);
        return new ScanIndexSettings("scan", store.Description, HashScanSettings(options, includeHeaderJson), null, null);
    }

    /// <summary>The settings of an audit (the <c>audit</c> verb or a release).</summary>
    public static ScanIndexSettings ForAudit(IObjectStore store, ScanOptions options, bool includeHeaderJson, AuditProfile profile, DateOnly referenceDate)
    {
        ArgumentNullException.ThrowIfNull(store);
        return new ScanIndexSettings("audit", store.Description, HashScanSettings(options, includeHeaderJson), HashRules(profile), referenceDate);
    }

    /// <summary>SHA-256 of the profile (as JSON), every catalogue rule and the rules version.</summary>
    public static string HashRules(AuditProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"rules {ScanIndexVersions.Rules}\n");
        text.Append(JsonSerializer.Serialize(profile, IndexJson.Payload)).Append('\n');
        foreach (var rule in AuditChecks.Catalogue()) text.Append(rule.ToString()).Append('\n');
        return Hash(text.ToString());
    }

    private static string HashScanSettings(ScanOptions options, bool includeHeaderJson)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Hash(string.Create(CultureInfo.InvariantCulture,
            $"read {JsonSerializer.Serialize(options.Read, IndexJson.Payload)}\ninitial {options.InitialReadBytes}\nheader_json {includeHeaderJson}\n"));
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
