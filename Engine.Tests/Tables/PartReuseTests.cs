using Nccid.Batch.Tables;

namespace Nccid.Batch.Tests.Tables;

public sealed class PartReuseTests
{
    [Fact]
    public async Task A_chunk_is_found_by_its_fingerprint_only_when_its_parts_hold_the_expected_rows()
    {
        using var temp = new TempDirectory();
        var table = Path.Combine(temp.Path, InstancesTable.Name);
        await using (var writer = new ParquetPartWriter<InstanceRow>(table, InstancesTable.Schema, new ParquetPartOptions { RowGroupSize = 2, MaxPartsInFlight = 0 }))
        {
            await writer.BeginChunkAsync("aaaa", CancellationToken.None);
            for (var i = 0; i < 3; i++) await writer.AddAsync(InstanceRows.Create(i), CancellationToken.None);
            await writer.BeginChunkAsync(null, CancellationToken.None);
            await writer.AddAsync(InstanceRows.Create(3), CancellationToken.None);
            await writer.CompleteAsync(CancellationToken.None);
        }

        var reuse = new PartReuse(temp.Path);
        var parts = await reuse.FindAsync(InstancesTable.Name, "aaaa", 3, CancellationToken.None);
        Assert.Equal(["part-00000.parquet", "part-00001.parquet"], parts!.Select(Path.GetFileName));
        Assert.Null(await reuse.FindAsync(InstancesTable.Name, "aaaa", 4, CancellationToken.None));
        Assert.Null(await reuse.FindAsync(InstancesTable.Name, "bbbb", 1, CancellationToken.None));
        Assert.Null(await new PartReuse(Path.Combine(temp.Path, "missing")).FindAsync(InstancesTable.Name, "aaaa", 3, CancellationToken.None));

        // A part file that is not Parquet is passed over, not an error.
        await File.WriteAllTextAsync(Path.Combine(table, "part-00009.parquet"), "not parquet");
        Assert.NotNull(await new PartReuse(temp.Path).FindAsync(InstancesTable.Name, "aaaa", 3, CancellationToken.None));
    }
}
