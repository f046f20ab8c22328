using System.Security.Cryptography;
using Nccid.Batch.Tables;

namespace Nccid.Batch.Tests.Tables;

public sealed class PartReuseTests
{
    /// <summary>Rows 0..2 as the chunk "aaaa" in two parts (row groups of two rows, one a part), then row 3 outside any chunk if asked.</summary>
    private static async Task WriteChunkAaaaAsync(string table, bool rowAfter)
    {
        await using var writer = new ParquetPartWriter<InstanceRow>(table, InstancesTable.Schema, new ParquetPartOptions { RowGroupSize = 2, RowGroupsPerPart = 1, MaxPartsInFlight = 0 });
        await writer.BeginChunkAsync("aaaa", CancellationToken.None);
        for (var i = 0; i < 3; i++) await writer.AddAsync(InstanceRows.Create(i), CancellationToken.None);
        if (rowAfter)
        {
            await writer.BeginChunkAsync(null, CancellationToken.None);
            await writer.AddAsync(InstanceRows.Create(3), CancellationToken.None);
        }

        await writer.CompleteAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_chunk_is_found_by_its_fingerprint_only_when_its_parts_hold_the_expected_rows()
    {
        using var temp = new TempDirectory();
        var table = Path.Combine(temp.Path, InstancesTable.Name);
        await WriteChunkAaaaAsync(table, rowAfter: true);

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

    [Fact]
    public async Task With_a_manifest_a_chunk_is_taken_over_only_while_each_of_its_parts_is_as_listed()
    {
        using var temp = new TempDirectory();
        var table = Path.Combine(temp.Path, InstancesTable.Name);
        await WriteChunkAaaaAsync(table, rowAfter: false);

        var files = Directory.GetFiles(table).Order(StringComparer.Ordinal).ToArray();
        var listed = files.ToDictionary(f => InstancesTable.Name + "/" + Path.GetFileName(f),
            f => new PublishedPart(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f))), new FileInfo(f).Length), StringComparer.Ordinal);
        Assert.Equal(2, listed.Count);

        async Task<string?> Refusal(Dictionary<string, PublishedPart> manifest)
        {
            var reuse = new PartReuse(temp.Path, manifest);
            var parts = await reuse.FindAsync(InstancesTable.Name, "aaaa", 3, CancellationToken.None);
            Assert.Equal(parts is null ? 1 : 0, reuse.RefusedCount);
            return parts is null ? reuse.Refused.Single() : null;
        }

        Assert.Null(await Refusal(listed));
        var second = InstancesTable.Name + "/part-00001.parquet";
        Assert.EndsWith($"'{second}' of '{temp.Path}' is not listed in its manifest", await Refusal(new(listed.Where(kv => kv.Key != second), StringComparer.Ordinal)));
        Assert.EndsWith("does not match the SHA-256 in its manifest",
            await Refusal(new(listed, StringComparer.Ordinal) { [second] = listed[second] with { Sha256 = new string('0', 64) } }));
        Assert.EndsWith(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"has {listed[second].Bytes:N0} bytes, its manifest 1"),
            await Refusal(new(listed, StringComparer.Ordinal) { [second] = listed[second] with { Bytes = 1 } }));
        // Without a manifest, the footers are trusted.
        Assert.NotNull(await new PartReuse(temp.Path).FindAsync(InstancesTable.Name, "aaaa", 3, CancellationToken.None));
    }

    /// <summary>Writes rows 0..9 as: 2 rows outside chunks, a 6-row chunk "cafe", 2 rows outside; the chunk pending or not.</summary>
    private static async Task<string[]> WriteAsync(string table, bool pending, int inFlight, int rowGroupsPerPart)
    {
        var options = new ParquetPartOptions { RowGroupSize = 2, MaxPartsInFlight = inFlight, RowGroupsPerPart = rowGroupsPerPart };
        await using var writer = new ParquetPartWriter<InstanceRow>(table, InstancesTable.Schema, options);
        for (var i = 0; i < 2; i++) await writer.AddAsync(InstanceRows.Create(i), CancellationToken.None);
        if (pending) await writer.BeginPendingChunkAsync(CancellationToken.None);
        else await writer.BeginChunkAsync("cafe", CancellationToken.None);
        for (var i = 2; i < 8; i++) await writer.AddAsync(InstanceRows.Create(i), CancellationToken.None);
        if (pending) await writer.EndPendingChunkAsync("cafe", CancellationToken.None);
        else await writer.BeginChunkAsync(null, CancellationToken.None);
        for (var i = 8; i < 10; i++) await writer.AddAsync(InstanceRows.Create(i), CancellationToken.None);
        await writer.CompleteAsync(CancellationToken.None);
        return writer.WrittenParts.Select(f => Path.GetFileName(f) + " " + Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))).ToArray();
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(7, 1)]
    [InlineData(2, 2)]
    public async Task A_chunk_whose_fingerprint_comes_at_its_end_writes_the_same_bytes_as_one_begun_with_it(int inFlight, int rowGroupsPerPart)
    {
        using var temp = new TempDirectory();

        var known = await WriteAsync(Path.Combine(temp.Path, "known", InstancesTable.Name), pending: false, inFlight, rowGroupsPerPart);
        var pending = await WriteAsync(Path.Combine(temp.Path, "pending", InstancesTable.Name), pending: true, inFlight, rowGroupsPerPart);

        Assert.Equal(known, pending);
        var parts = await new PartReuse(Path.Combine(temp.Path, "pending")).FindAsync(InstancesTable.Name, "cafe", 6, CancellationToken.None);
        Assert.Equal(rowGroupsPerPart == 1 ? 3 : 2, parts!.Count);
    }

    [Fact]
    public async Task A_pending_chunk_must_end_before_another_chunk_begins_or_the_table_completes_and_ends_once()
    {
        using var temp = new TempDirectory();
        await using var writer = new ParquetPartWriter<InstanceRow>(Path.Combine(temp.Path, InstancesTable.Name), InstancesTable.Schema, new ParquetPartOptions());
        await writer.BeginPendingChunkAsync(CancellationToken.None);
        await writer.AddAsync(InstanceRows.Create(0), CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await writer.BeginChunkAsync("x", CancellationToken.None));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await writer.CompleteAsync(CancellationToken.None));
        await writer.EndPendingChunkAsync("x", CancellationToken.None);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await writer.EndPendingChunkAsync("y", CancellationToken.None));
        await writer.CompleteAsync(CancellationToken.None);
        Assert.Single(writer.WrittenParts);
    }

    [Fact]
    public void The_layout_changes_with_every_setting_that_shapes_a_part_and_not_with_the_encoders_in_flight()
    {
        var basis = new ParquetPartOptions();
        ParquetPartOptions[] others =
        [
            basis with { RowGroupSize = 1000 }, basis with { MaxRowGroupBytes = 1 << 20 }, basis with { RowGroupsPerPart = 2 },
            basis with { CompressionLevel = System.IO.Compression.CompressionLevel.Optimal }, basis with { DictionaryEncodingThreshold = 0.25 },
            basis with { DictionaryEncodingSampleSize = 5 },
        ];

        Assert.Equal(basis.Layout, (basis with { MaxPartsInFlight = 7 }).Layout);
        Assert.Equal(others.Length + 1, others.Select(o => o.Layout).Append(basis.Layout).Distinct(StringComparer.Ordinal).Count());

        // A release's chunks are fingerprinted with the layout, so parts laid out otherwise are never taken over.
        using var temp = new TempDirectory();
        var store = new Nccid.Batch.Storage.LocalFileStore(temp.Path);
        string Salt(ParquetPartOptions o) => Nccid.Batch.Releases.ReleaseIndex.ChunkSalt(store, new Nccid.Batch.Pipeline.ScanOptions(), true, Nccid.Batch.Audit.AuditProfile.Nccid,
            new DateOnly(2026, 1, 1), o);
        Assert.NotEqual(Salt(basis), Salt(others[1]));
        Assert.Equal(Salt(basis), Salt(basis with { MaxPartsInFlight = 7 }));
    }
}
