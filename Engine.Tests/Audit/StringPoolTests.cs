using Nccid.Batch.Audit;

namespace Nccid.Batch.Tests.Audit;

public sealed class StringPoolTests
{
    private static string Fresh(string value) => new(value.AsSpan());

    [Fact]
    public void Equal_values_come_back_as_the_first_copy_until_the_pool_starts_again()
    {
        var pool = new StringPool(capacity: 3);
        var first = Fresh("1.2.3");

        Assert.Same(first, pool.Share(first));
        Assert.Same(first, pool.Share(Fresh("1.2.3")));
        Assert.Null(pool.Share(null));
        pool.Share("a");
        pool.Share("b");
        Assert.Equal(3, pool.Count);
        Assert.Same(first, pool.Share(Fresh("1.2.3")));

        // A fourth distinct value starts the pool again: the earlier copies are no longer held.
        pool.Share("c");
        Assert.Equal(1, pool.Count);
        var second = Fresh("1.2.3");
        Assert.Same(second, pool.Share(second));
        Assert.NotSame(first, second);
    }

    [Fact]
    public void The_pool_never_holds_more_than_its_capacity_however_many_values_pass()
    {
        var pool = new StringPool(capacity: 100);
        var most = 0;
        for (var i = 0; i < 10_000; i++)
        {
            var value = "uid." + (i / 3).ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(value, pool.Share(Fresh(value)));
            most = Math.Max(most, pool.Count);
        }

        Assert.Equal(100, most);
    }
}
