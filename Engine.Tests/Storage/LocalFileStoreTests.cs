using Nccid.Batch.Storage;

namespace Nccid.Batch.Tests.Storage;

public sealed class LocalFileStoreTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("nccid-store-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Write(string key, string content)
    {
        var path = Path.Combine(_root, key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    private async Task<List<StoredObject>> ListAll()
    {
        var list = new List<StoredObject>();
        await foreach (var o in new LocalFileStore(_root).ListAsync(CancellationToken.None)) list.Add(o);
        return list;
    }

    [Fact]
    public async Task Listing_is_in_ordinal_order_segment_by_segment_with_sizes()
    {
        Write("b/2.dcm", "22");
        Write("b/10.dcm", "1010");
        Write("a-b/x.dcm", "x");
        Write("a/z/deep.dcm", "deep!");
        Write("a/y.dcm", "y");
        Write("c.dcm", "");
        var keys = (await ListAll()).Select(o => o.Key).ToArray();
        Assert.Equal(new[] { "a/y.dcm", "a/z/deep.dcm", "a-b/x.dcm", "b/10.dcm", "b/2.dcm", "c.dcm" }, keys);
        var deep = (await ListAll()).Single(o => o.Key == "a/z/deep.dcm");
        Assert.Equal(5, deep.Size);
        Assert.Null(deep.ListingError);
    }

    [Fact]
    public async Task Sizes_and_times_are_the_files_own_to_the_tick_whatever_the_name_and_time()
    {
        var files = new (string Key, string Content, DateTime Modified)[]
        {
            ("a/é 1.dcm", "é", new DateTime(2021, 3, 4, 5, 6, 7, DateTimeKind.Utc).AddTicks(1_234_567)),
            ("a/" + new string('n', 240) + ".dcm", new string('x', 70_000), new DateTime(1969, 12, 31, 23, 59, 59, DateTimeKind.Utc).AddTicks(9_999_999)),
            ("a/b/c/d/e/f/deep.dcm", "", new DateTime(2106, 2, 7, 6, 28, 16, DateTimeKind.Utc).AddTicks(1)),
        };
        foreach (var (key, content, modified) in files)
        {
            Write(key, content);
            File.SetLastWriteTimeUtc(Path.Combine(_root, key), modified);
        }

        var listed = (await ListAll()).ToDictionary(o => o.Key, StringComparer.Ordinal);

        foreach (var (key, _, modified) in files)
        {
            var info = new FileInfo(Path.Combine(_root, key));
            Assert.Equal(modified, info.LastWriteTimeUtc);
            Assert.Equal((info.Length, info.LastWriteTimeUtc, DateTimeKind.Utc), (listed[key].Size, listed[key].ModifiedUtc, listed[key].ModifiedUtc.Kind));
            Assert.Null(listed[key].ListingError);
        }
    }

    [Fact]
    public async Task Broken_links_and_links_to_folders_are_listed_with_a_reason()
    {
        Write("real/file.dcm", "abc");
        File.CreateSymbolicLink(Path.Combine(_root, "broken.dcm"), Path.Combine(_root, "nowhere.dcm"));
        Directory.CreateSymbolicLink(Path.Combine(_root, "loop"), _root);
        File.CreateSymbolicLink(Path.Combine(_root, "link.dcm"), Path.Combine(_root, "real/file.dcm"));
        var all = await ListAll();
        Assert.Equal(new[] { "broken.dcm", "link.dcm", "loop", "real/file.dcm" }, all.Select(o => o.Key).ToArray());
        Assert.Contains("broken", all[0].ListingError);
        Assert.Null(all[1].ListingError);
        Assert.Equal(3, all[1].Size);
        Assert.Contains("not followed", all[2].ListingError);
    }

    [Fact]
    public async Task Range_reads_return_the_requested_bytes_and_stop_at_the_end()
    {
        Write("f.bin", "0123456789");
        var store = new LocalFileStore(_root);
        var obj = (await ListAll()).Single();
        var buffer = new byte[4];
        Assert.Equal(4, await store.ReadAsync(obj, 3, buffer, CancellationToken.None));
        Assert.Equal("3456"u8.ToArray(), buffer);
        Assert.Equal(2, await store.ReadAsync(obj, 8, buffer, CancellationToken.None));
        Assert.Equal((byte)'8', buffer[0]);
    }
    [Fact]
    public async Task Folders_listed_ahead_give_the_same_listing_as_one_folder_at_a_time()
    {
        // Wide and deep, with files beside folders, links and a folder wider than the look-ahead.
        for (var p = 0; p < 40; p++)
        {
            for (var s = 0; s < 3; s++)
            {
                for (var f = 0; f < 1 + (p + s) % 4; f++) Write($"p{p:00}/s{s}/f{f}.dcm", new string('x', p + s + f));
            }

            if (p % 7 == 0) Write($"p{p:00}/loose.dcm", "loose");
        }

        for (var f = 0; f < 5000; f++) Write($"wide/f{f:0000}.dcm", "w");
        Write("wide/zz/after.dcm", "after");
        Directory.CreateSymbolicLink(Path.Combine(_root, "p03", "loop"), _root);
        File.CreateSymbolicLink(Path.Combine(_root, "p05", "link.dcm"), Path.Combine(_root, "p00", "loose.dcm"));
        async Task<List<string>> List(int ahead)
        {
            var list = new List<string>();
            await foreach (var o in new LocalFileStore(_root) { FoldersAhead = ahead }.ListAsync(CancellationToken.None))
            {
                list.Add($"{o.Key}|{o.Size}|{o.ModifiedUtc.Ticks}|{o.ListingError}");
            }

            return list;
        }

        var one = await List(1);
        var expectedFiles = Enumerable.Range(0, 40).Sum(p => Enumerable.Range(0, 3).Sum(s => 1 + (p + s) % 4)) + 6 + 5001 + 1;
        Assert.Equal(expectedFiles, one.Count(l => l.EndsWith('|')));
        Assert.Contains(one, l => l.StartsWith("p03/loop|", StringComparison.Ordinal) && l.Contains("not followed", StringComparison.Ordinal));
        Assert.Contains(one, l => l.StartsWith("wide/zz/after.dcm|5|", StringComparison.Ordinal));
        Assert.Equal(one, await List(16));
        Assert.Equal(one, await List(3));
    }

    [Fact]
    public async Task Folders_listed_ahead_hold_the_entries_allowed_and_at_most_one_folder_more_per_place_while_the_walk_is_slow()
    {
        // Patients, studies, files: studies listed ahead are nearer the walk than the later patients in line, so they
        // take those places; once the entries held reach the bound nothing more is put in line, and what is in line
        // (a folder per place at most) is listed.
        for (var p = 0; p < 60; p++)
        {
            for (var s = 0; s < 3; s++)
            {
                for (var f = 0; f < 40; f++) Write($"p{p:00}/s{s}/f{f:00}.dcm", "x");
            }
        }

        const int Ahead = 4, Entries = 100;
        var store = new LocalFileStore(_root) { FoldersAhead = Ahead, EntriesAhead = Entries };
        var listed = 0;
        await foreach (var o in store.ListAsync(CancellationToken.None))
        {
            // A slow reader: the workers have all the time they want to list ahead.
            if (++listed % 200 == 0) await Task.Delay(20);
        }

        Assert.Equal(60 * 3 * 40, listed);
        Assert.InRange(store.MostEntriesAhead, 1, Entries + Ahead * 40);
    }

    [Fact]
    public async Task A_listing_begun_ahead_is_the_same_walk_and_a_later_listing_walks_again()
    {
        for (var p = 0; p < 30; p++)
        {
            for (var f = 0; f < 1 + p % 5; f++) Write($"p{p:00}/s/f{f}.dcm", new string('x', p + f));
        }

        Directory.CreateSymbolicLink(Path.Combine(_root, "p07", "loop"), _root);
        static async Task<List<string>> Keys(LocalFileStore store, int take = int.MaxValue)
        {
            var list = new List<string>();
            await foreach (var o in store.ListAsync(CancellationToken.None))
            {
                list.Add($"{o.Key}|{o.Size}|{o.ModifiedUtc.Ticks}|{o.ListingError}");
                if (list.Count == take) break;
            }

            return list;
        }

        var plain = await Keys(new LocalFileStore(_root));
        var store = new LocalFileStore(_root);
        using (store.BeginListing(capacity: 3))
        {
            // The walk runs ahead while nobody reads: files created now may or may not be in it, so none are.
            await Task.Delay(50);
            Assert.Equal(plain, await Keys(store));
            Write("p99/late.dcm", "late");
            var again = await Keys(store);
            Assert.Equal(plain.Count + 1, again.Count);
            Assert.Equal("p99/late.dcm|4|", again[^1][..15]);
        }

        // A begun walk read only in part, or not at all, is stopped by its disposal.
        var partial = new LocalFileStore(_root);
        var begun = partial.BeginListing(capacity: 2);
        Assert.Equal(plain.Take(5), await Keys(partial, take: 5));
        begun.Dispose();
        new LocalFileStore(_root).BeginListing(capacity: 1).Dispose();
    }

    [Fact]
    public async Task A_listing_begun_ahead_and_stopped_before_it_is_read_says_so()
    {
        for (var f = 0; f < 20; f++) Write($"d{f:00}/f.dcm", "x");
        var store = new LocalFileStore(_root);
        store.BeginListing(capacity: 1).Dispose();
        // The disposed walk was already taken back: the next listing walks on its own.
        Assert.Equal(20, (await ListAllOf(store)).Count);

        var begun = store.BeginListing(capacity: 1);
        var enumerator = store.ListAsync(CancellationToken.None).GetAsyncEnumerator();
        Assert.True(await enumerator.MoveNextAsync());
        begun.Dispose();
        var error = await Assert.ThrowsAsync<ObjectDisposedException>(async () =>
        {
            while (await enumerator.MoveNextAsync())
            {
            }
        });
        Assert.Contains("stopped before it was read to its end", error.Message, StringComparison.Ordinal);
        await enumerator.DisposeAsync();
    }

    private static async Task<List<StoredObject>> ListAllOf(LocalFileStore store)
    {
        var list = new List<StoredObject>();
        await foreach (var o in store.ListAsync(CancellationToken.None)) list.Add(o);
        return list;
    }
}
