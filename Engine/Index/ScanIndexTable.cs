using Nccid.Batch.Tables;

namespace Nccid.Batch.Index;

/// <summary>The schema of a scan index's Parquet segments (an engine file, not a release table).</summary>
public static class ScanIndexTable
{
    /// <summary>The schema.</summary>
    public static TableSchema<ScanIndexEntry> Schema { get; } = new TableSchemaBuilder<ScanIndexEntry>("entries",
            "One row per object of the last scan, in listing order: what decides whether it changed, and its encoded scan result.")
        .RequiredString("key", "The object's key, as listed", e => e.Key)
        .Int64("size", "Size in bytes when scanned", e => e.Size)
        .Int64("modified_ticks", "Last-modified time when scanned, UTC, in 100 ns ticks", e => e.ModifiedTicks)
        .String("error_kind", "Why the header could not be read; null when it was", e => e.ErrorKind)
        .Boolean("reference_date_dependent", "True when a finding depends on the run's reference date", e => e.DependsOnReferenceDate)
        .RequiredString("payload", "The encoded row, findings and collection facts (JSON)", e => e.Payload)
        .Build();

    /// <summary>
    /// Row groups of 10,000 entries: the reader holds one group at a time, and with header_json an entry is about
    /// 10 KB, so this bounds the index's share of memory at about 100 MB whatever the number of objects.
    /// </summary>
    public static ParquetPartOptions PartOptions { get; } = new() { RowGroupSize = 10_000, RowGroupsPerPart = 20 };
}
