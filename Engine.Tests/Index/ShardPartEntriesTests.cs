using System.Globalization;
using System.Text;
using Nccid.Batch.Index;
using Nccid.Batch.Storage;
using Nccid.Batch.Tests.Tables;

namespace Nccid.Batch.Tests.Index;

public sealed class ShardPartEntriesTests : IDisposable
{
    private static readonly DateTime Modified = new(2021, 6, 1, 12, 0, 0, DateTimeKind.Utc);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Parts_of_consecutive_runs_are_merged_with_only_the_parts_at_the_listings_place_open()
    {
        // Two centres whose files interleave in the listing (even and odd keys), each split into 60 runs of 100 files.
        const int PartsPerCentre = 60;
        const int PerPart = 100;
        const int Files = 2 * PartsPerCentre * PerPart;
        var stems = new List<string>();
        for (var centre = 0; centre < 2; centre++)
        {
            for (var run = 0; run < PartsPerCentre; run++)
            {
                stems.Add(await WritePartAsync($"c{centre}-{run:D3}", Enumerable.Range(0, PerPart).Select(n => (2 * ((run * PerPart) + n)) + centre)));
            }
        }

        // Listed in a shuffled order of parts, as a plan's shard numbers need not follow the listing.
        var shuffled = stems.ToArray();
        new Random(7).Shuffle(shuffled);
        var taken = 0;
        using (var entries = new ShardPart.Entries(shuffled, StringComparer.Ordinal.Compare))
        {
            for (var i = 0; i < Files; i++)
            {
                // Every seventh file is gone from the listing, and every eleventh listed one changed since its shard read it.
                if (i % 7 == 3) continue;
                var changed = i % 11 == 5;
                var stored = new StoredObject(Key(i), changed ? 2 : 1, Modified);
                var found = entries.TryTake(stored, out var entry);
                Assert.Equal(!changed, found);
                if (!found) continue;
                Assert.Equal(Key(i), entry!.Key);
                var (row, text) = entry.LoadRow();
                Assert.Equal(Key(i), Encoding.UTF8.GetString(row));
                Assert.Equal("text of " + Key(i), text);
                taken++;
            }

            Assert.Equal(Enumerable.Range(0, Files).Count(i => i % 7 != 3 && i % 11 != 5), taken);
            // One part of each centre, and the next one's start where two runs meet.
            Assert.InRange(entries.MostOpenParts, 1, 4);
            Assert.InRange(entries.MostOpenRowsReaders, 1, 4);
            Assert.Equal(0, entries.OpenParts);
        }
    }

    [Fact]
    public async Task Rows_readers_beyond_the_limit_close_the_one_used_longest_ago_and_reopen_it_when_asked_again()
    {
        var stems = new List<string>();
        var parts = ShardPart.Entries.MaxOpenRowsReaders + 6;
        for (var p = 0; p < parts; p++)
        {
            // Part p holds keys p, p + parts, p + 2 parts: every part spans the whole listing.
            stems.Add(await WritePartAsync($"p{p:D3}", Enumerable.Range(0, 3).Select(n => p + (n * parts))));
        }

        using var entries = new ShardPart.Entries(stems, StringComparer.Ordinal.Compare);
        for (var i = 0; i < 3 * parts; i++)
        {
            Assert.True(entries.TryTake(new StoredObject(Key(i), 1, Modified), out var entry));
            Assert.Equal(Key(i), Encoding.UTF8.GetString(entry!.LoadRow().Row));
        }

        Assert.Equal(parts, entries.MostOpenParts);
        Assert.Equal(ShardPart.Entries.MaxOpenRowsReaders, entries.MostOpenRowsReaders);
    }

    private async Task<string> WritePartAsync(string name, IEnumerable<int> keys)
    {
        var stem = Path.Combine(_temp.Path, name + ".part");
        using var writer = new ShardPart.Writer(stem);
        foreach (var i in keys) await writer.AddAsync(Entry(Key(i)), CancellationToken.None);
        await writer.CompleteAsync(CancellationToken.None);
        return stem;
    }

    private static string Key(int i) => "training/ct/" + i.ToString("D6", CultureInfo.InvariantCulture) + ".dcm";

    private static ScanIndexEntry Entry(string key) =>
        ScanIndexEntry.Made(key, 1, Modified.Ticks, null, null, false, 1, 1, [], Encoding.UTF8.GetBytes(key), "text of " + key);
}
