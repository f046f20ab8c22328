using Nccid.Batch.Releases;
using Nccid.Batch.Storage;
using Nccid.Batch.Tables;
using Nccid.Batch.Tests.Tables;

namespace Nccid.Batch.Tests.Releases;

/// <summary>The join's left-out instances are merged into the audit's quarantine table as both are read, in the table's order.</summary>
public sealed class QuarantineMergeTests
{
    private static QuarantineRow Row(string path, string kind, string? sop, string severity, params string[] rules) =>
        new() { Path = path, Kind = kind, SopInstanceUid = sop, Severity = severity, RuleIds = rules };

    private static string Text(QuarantineRow r) => string.Join('|', r.Path, r.Kind, r.SopInstanceUid ?? "-", r.Severity, string.Join(',', r.RuleIds));

    [Fact]
    public async Task Merged_rows_follow_path_then_kind_with_the_audit_s_row_first_at_equal_keys_across_parts_and_row_groups()
    {
        using var temp = new TempDirectory();
        var audit = new List<QuarantineRow>();
        for (var i = 0; i < 250; i++)
        {
            var path = $"p/{i:D4}.dcm";
            audit.Add(i % 7 == 0 ? Row(path, "instance", null, "error") : Row(path, "instance", "1.2." + i, "warning", "Q-A", "Q-B"));
        }

        audit.Add(Row("z/record.json", "clinical_record", null, "error", "C-1"));
        // Rows per row group and per part small enough that the table has several of both.
        var options = new ParquetPartOptions { RowGroupSize = 30, RowGroupsPerPart = 2 };
        await ReleaseBuilder.WriteTableAsync(temp.Path, QuarantineTable.Schema, audit, options, CancellationToken.None);
        Assert.True(Directory.GetFiles(Path.Combine(temp.Path, "quarantine"), "*.parquet").Length > 2);

        var added = new List<QuarantineRow>
        {
            Row("a/first.dcm", "instance", "9.1", "warning", "R-WINDOW-001"),
            Row("p/0003.dcm", "instance", "9.2", "warning", "Q-DUP-001"),
            Row("p/0003.dcm", "instance", "9.3", "warning", "R-WINDOW-001"),
            Row("p/0100.dcm", "instance", null, "warning", "R-WINDOW-001"),
            Row("p/0100.dcx", "instance", "9.4", "warning", "Q-DUP-001"),
            Row("z/record.json", "clinical_record", null, "error", "C-2"),
            Row("zz/last.dcm", "instance", "9.5", "warning", "R-WINDOW-001"),
        };
        // Added in reverse, as a join could find them: the sort, spilling two rows a run, puts them in the table's order
        // (the two rows of p/0003.dcm in the order added).
        added.Reverse();
        using (var sorter = new ExternalSorter<QuarantineRow>(QuarantineTable.Order, QuarantineMerge.Codec, Path.Combine(temp.Path, ".sort"), 2))
        {
            foreach (var r in added) sorter.Add(r);
            await QuarantineMerge.WriteAsync(temp.Path, sorter.Sorted(), options, CancellationToken.None);
        }

        // The reference: the audit's rows, then the join's, stably sorted by path and kind.
        var expected = audit.Concat(added).OrderBy(r => r.Path, StringComparer.Ordinal).ThenBy(r => r.Kind, StringComparer.Ordinal).Select(Text).ToList();
        var written = DuckDb.Query($"""
            SELECT path, kind, coalesce(sop_instance_uid, '-'), severity, array_to_string(rule_ids, ',')
            FROM read_parquet({DuckDb.Parts(Path.Combine(temp.Path, "quarantine"))}, filename = true, file_row_number = true) ORDER BY filename, file_row_number
            """).Select(r => string.Join('|', r)).ToList();
        Assert.Equal(expected, written);
        Assert.False(Directory.Exists(Path.Combine(temp.Path, ".quarantine-merged")));
    }
}
