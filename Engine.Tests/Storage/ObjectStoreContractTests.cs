using System.Text;
using Nccid.Batch.Storage;

namespace Nccid.Batch.Tests.Storage;

/// <summary>What every <see cref="IObjectStore"/> must do; inherited once per implementation.</summary>
public abstract class ObjectStoreContractTests
{
    /// <summary>A store whose root holds exactly <paramref name="objects"/> (keys with '/' separators).</summary>
    protected abstract Task<IObjectStore> CreateStoreAsync(IReadOnlyList<(string Key, byte[] Content)> objects);

    private static (string, byte[]) Object(string key, string content) => (key, Encoding.ASCII.GetBytes(content));

    private static async Task<List<StoredObject>> ListAll(IObjectStore store)
    {
        var list = new List<StoredObject>();
        await foreach (var o in store.ListAsync(CancellationToken.None)) list.Add(o);
        return list;
    }

    [Fact]
    public async Task Listing_yields_every_object_in_ordinal_key_order_with_its_size()
    {
        // Names whose characters all sort after '/', where folder-by-folder and whole-key orders agree.
        var store = await CreateStoreAsync([
            Object("b/2.dcm", "22"), Object("b/10.dcm", "1010"), Object("a/z/deep.dcm", "deep!"), Object("a/y.dcm", "y"),
            Object("a/Y.dcm", "YY"), Object("c.dcm", "ccc"), Object("b/1/x.dcm", "x"),
        ]);
        var all = await ListAll(store);
        Assert.Equal(new[] { "a/Y.dcm", "a/y.dcm", "a/z/deep.dcm", "b/1/x.dcm", "b/10.dcm", "b/2.dcm", "c.dcm" }, all.Select(o => o.Key).ToArray());
        Assert.Equal(new long[] { 2, 1, 5, 1, 4, 2, 3 }, all.Select(o => o.Size).ToArray());
        Assert.All(all, o => Assert.Null(o.ListingError));
        Assert.All(all, o => Assert.Equal(DateTimeKind.Utc, o.ModifiedUtc.Kind));
    }

    [Fact]
    public async Task Range_reads_return_exactly_the_requested_bytes()
    {
        var store = await CreateStoreAsync([Object("f.bin", "0123456789")]);
        var obj = Assert.Single(await ListAll(store));
        var buffer = new byte[4];
        Assert.Equal(4, await store.ReadAsync(obj, 3, buffer, CancellationToken.None));
        Assert.Equal("3456"u8.ToArray(), buffer);
        Assert.Equal(4, await store.ReadAsync(obj, 0, buffer, CancellationToken.None));
        Assert.Equal("0123"u8.ToArray(), buffer);
    }

    [Fact]
    public async Task A_read_past_the_end_is_short_and_leaves_the_rest_of_the_buffer_alone()
    {
        var store = await CreateStoreAsync([Object("f.bin", "0123456789")]);
        var obj = Assert.Single(await ListAll(store));
        var buffer = "abcdef"u8.ToArray();
        Assert.Equal(2, await store.ReadAsync(obj, 8, buffer, CancellationToken.None));
        Assert.Equal("89cdef"u8.ToArray(), buffer);
        Assert.Equal(0, await store.ReadAsync(obj, 10, buffer, CancellationToken.None));
    }

    [Fact]
    public async Task A_large_object_is_read_whole_into_a_large_buffer()
    {
        var content = new byte[300_000];
        for (var i = 0; i < content.Length; i++) content[i] = (byte)(i * 31 + (i >> 8));
        var store = await CreateStoreAsync([("big.bin", content)]);
        var obj = Assert.Single(await ListAll(store));
        Assert.Equal(content.Length, obj.Size);
        var buffer = new byte[200_000];
        Assert.Equal(200_000, await store.ReadAsync(obj, 100_000, buffer, CancellationToken.None));
        Assert.Equal(content.AsSpan(100_000).ToArray(), buffer);
    }

    [Fact]
    public async Task Reading_an_object_that_is_gone_throws_an_IOException()
    {
        var store = await CreateStoreAsync([Object("here.dcm", "x")]);
        var missing = new StoredObject("gone/missing.dcm", 10, default);
        var ex = await Assert.ThrowsAnyAsync<IOException>(async () => await store.ReadAsync(missing, 0, new byte[10], CancellationToken.None));
        Assert.Contains("missing.dcm", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_object_is_listed_with_size_zero()
    {
        var store = await CreateStoreAsync([Object("empty.dcm", ""), Object("full.dcm", "1")]);
        var all = await ListAll(store);
        Assert.Equal(new[] { ("empty.dcm", 0L), ("full.dcm", 1L) }, all.Select(o => (o.Key, o.Size)).ToArray());
    }
}
