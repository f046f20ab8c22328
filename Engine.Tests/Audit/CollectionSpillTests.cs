using System.Security.Cryptography;
using Nccid.Batch.Audit;
using Nccid.Batch.Pipeline;
using Nccid.Batch.Storage;
using Nccid.Batch.Synthetic;
using Nccid.Batch.Tables;
using Nccid.Batch.Tests.Fixtures;
using Nccid.Batch.Tests.Tables;

namespace Nccid.Batch.Tests.Audit;

/// <summary>The collection rules sort every instance's facts on disk when they do not fit the budget: the audit's tables must not change.</summary>
public sealed class CollectionSpillTests
{
    private static readonly string[] Tables = ["instances", "quality_findings", "deid_findings", "quarantine", "audit_summary"];

    private static Task<AuditSummary> Audit(string corpus, string output, int factsInMemory) =>
        AuditScan.RunAsync(new LocalFileStore(corpus), output, AuditProfile.Nccid, new ScanOptions { Parallelism = 4, IncludeNames = ["*.dcm"] }, new ParquetPartOptions(),
            new DateOnly(2022, 1, 1), includeHeaderJson: true, null, TimeProvider.System, null, null, CancellationToken.None, collectionFactsInMemory: factsInMemory);

    private static SortedDictionary<string, string> Hashes(string output)
    {
        var hashes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var table in Tables)
        {
            foreach (var file in Directory.GetFiles(Path.Combine(output, table), "*.parquet"))
            {
                hashes[Path.GetRelativePath(output, file)] = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));
            }
        }

        return hashes;
    }

    [Fact]
    public async Task An_audit_whose_collection_rules_sort_on_disk_writes_the_same_tables_byte_for_byte()
    {
        using var temp = new TempDirectory();
        var corpus = Path.Combine(temp.Path, "corpus");
        SyntheticCorpusGenerator.Generate(corpus, new SyntheticCorpusOptions { Patients = 40, Seed = 11 }.WithAllDefectRates(0.05), CancellationToken.None);

        var inMemory = await Audit(corpus, Path.Combine(temp.Path, "memory"), CollectionScratch.DefaultFactsInMemory);
        var spilled = await Audit(corpus, Path.Combine(temp.Path, "spilled"), 7);

        // The corpus has duplicated instances and series defects, so the sorted rules have something to find.
        Assert.Contains(inMemory.FindingsByRule.Keys, id => id.StartsWith("Q-DUP", StringComparison.Ordinal));
        Assert.Contains(inMemory.FindingsByRule.Keys, id => id.StartsWith("Q-SERIES", StringComparison.Ordinal));
        Assert.NotEmpty(inMemory.SharedSopInstanceUids);
        Assert.Equal(inMemory.SharedSopInstanceUids.Order(StringComparer.Ordinal), spilled.SharedSopInstanceUids.Order(StringComparer.Ordinal));
        Assert.Equal(inMemory.FindingsByRule, spilled.FindingsByRule);
        Assert.Equal(Hashes(Path.Combine(temp.Path, "memory")), Hashes(Path.Combine(temp.Path, "spilled")));
        // The run files went with the staging folder: nothing but the tables is left.
        Assert.Equal(Tables.Order(StringComparer.Ordinal), Directory.GetDirectories(Path.Combine(temp.Path, "spilled")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_quarantine_has_a_row_per_path_whose_findings_reach_the_profile_s_quarantine_severity_in_path_order()
    {
        using var temp = new TempDirectory();
        var corpus = Path.Combine(temp.Path, "corpus");
        SyntheticCorpusGenerator.Generate(corpus, new SyntheticCorpusOptions { Patients = 40, Seed = 11 }.WithAllDefectRates(0.05), CancellationToken.None);
        var profile = AuditProfileLoader.Load(Path.Combine(RepositoryRoot.Find(), "jobs", "profiles", "nccid-quarantine.json"));
        var output = Path.Combine(temp.Path, "out");

        // Seven marks and findings a sort: the quarantine and the collection findings go through run files.
        var summary = await AuditScan.RunAsync(new LocalFileStore(corpus), output, profile, new ScanOptions { Parallelism = 4, IncludeNames = ["*.dcm"] },
            new ParquetPartOptions(), new DateOnly(2022, 1, 1), includeHeaderJson: false, null, TimeProvider.System, null, null, CancellationToken.None,
            collectionFactsInMemory: 7);

        // What the findings tables say should be quarantined (quality from warning, de-identification from error), by DuckDB.
        const string Rank = "CASE severity WHEN 'info' THEN 0 WHEN 'warning' THEN 1 WHEN 'error' THEN 2 ELSE 3 END";
        var expected = DuckDb.Query($"""
            SELECT path, array_to_string(list_sort(list_distinct(list(rule_id))), ','), arg_max(severity, {Rank}) FROM (
                SELECT path, rule_id, severity FROM read_parquet({DuckDb.Parts(Path.Combine(output, "quality_findings"))}) WHERE severity <> 'info'
                UNION ALL
                SELECT path, rule_id, severity FROM read_parquet({DuckDb.Parts(Path.Combine(output, "deid_findings"))}) WHERE severity IN ('error', 'critical'))
            GROUP BY path ORDER BY path
            """).Select(r => string.Join('|', r)).ToList();
        var written = DuckDb.Query($"""
            SELECT path, array_to_string(rule_ids, ','), severity, kind
            FROM read_parquet({DuckDb.Parts(Path.Combine(output, "quarantine"))}, filename = true, file_row_number = true) ORDER BY filename, file_row_number
            """);

        Assert.True(expected.Count > 20, $"{expected.Count} paths to quarantine");
        Assert.All(written, r => Assert.Equal("instance", r[3]));
        Assert.Equal(expected, written.Select(r => string.Join('|', r[0], r[1], r[2])).ToList());
        Assert.Equal(expected.Count, summary.Quarantined);
        var instances = DuckDb.Query($"SELECT path FROM read_parquet({DuckDb.Parts(Path.Combine(output, "instances"))})").Select(r => (string)r[0]!).ToList();
        var quarantined = written.Select(r => (string)r[0]!).ToHashSet(StringComparer.Ordinal);
        Assert.All(instances, path => Assert.Equal(quarantined.Contains(path), summary.QuarantinedPaths.Contains(path)));
    }
}
