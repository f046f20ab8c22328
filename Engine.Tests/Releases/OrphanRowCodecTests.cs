using System.Globalization;
using Nccid.Batch.Releases;
using Nccid.Batch.Storage;
using Nccid.Batch.Tests.Tables;

namespace Nccid.Batch.Tests.Releases;

public sealed class OrphanRowCodecTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Where the sorts write their runs: created by the first run written.</summary>
    private string Scratch => Path.Combine(_temp.Path, "sort");

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(int.MaxValue)]
    public void Orphans_sorted_through_run_files_come_back_whole_in_the_table_order(int recordsInMemory)
    {
        var random = new Random(3);
        var orphans = Enumerable.Range(0, 300).Select(n => new OrphanRow
        {
            Kind = random.Next(3) == 0 ? "clinical" : "image", Pseudonym = "P" + random.Next(20).ToString(CultureInfo.InvariantCulture),
            Path = "site/é/" + random.Next(50).ToString("D3", CultureInfo.InvariantCulture) + ".dcm", AgeDays = random.Next(4) == 0 ? null : random.Next(-5, 900),
        }).ToArray();
        using var sorter = new ExternalSorter<OrphanRow>(OrphanRowCodec.Order, OrphanRowCodec.Instance, Scratch, recordsInMemory);
        foreach (var orphan in orphans) sorter.Add(orphan);

        var sorted = sorter.Sorted().Select(o => (o.Kind, o.Pseudonym, o.Path, o.AgeDays)).ToArray();

        var expected = orphans.OrderBy(o => o.Kind, StringComparer.Ordinal).ThenBy(o => o.Pseudonym, StringComparer.Ordinal).ThenBy(o => o.Path, StringComparer.Ordinal)
            .Select(o => (o.Kind, o.Pseudonym, o.Path, o.AgeDays)).ToArray();
        Assert.Equal(expected, sorted);
        Assert.Equal(recordsInMemory == int.MaxValue ? 0 : 300 / recordsInMemory, sorter.RunsWritten);
    }
}
