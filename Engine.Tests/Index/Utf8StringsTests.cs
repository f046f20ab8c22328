using System.Text;
using Nccid.Batch.Index;

namespace Nccid.Batch.Tests.Index;

public sealed class Utf8StringsTests
{
    [Fact]
    public void Repeated_short_strings_decode_to_one_copy_and_every_string_to_its_text()
    {
        var first = Utf8Strings.Get("(0010,0010)"u8);
        Assert.Equal("(0010,0010)", first);
        Assert.Same(first, Utf8Strings.Get(Encoding.UTF8.GetBytes("(0010,0010)")));
        Assert.Equal("Größe – 大", Utf8Strings.Get(Encoding.UTF8.GetBytes("Größe – 大")));
        Assert.Same(string.Empty, Utf8Strings.Get([]));

        // Many more distinct strings than the table holds: each still decodes to its own text.
        for (var i = 0; i < 50_000; i++)
        {
            var text = "1.2.826.0.1." + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(text, Utf8Strings.Get(Encoding.UTF8.GetBytes(text)));
        }

        var longText = new string('x', 300);
        Assert.Equal(longText, Utf8Strings.Get(Encoding.UTF8.GetBytes(longText)));
    }
}
