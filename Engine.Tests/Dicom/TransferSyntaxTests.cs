using Nccid.Batch.Dicom;

namespace Nccid.Batch.Tests.Dicom;

public class TransferSyntaxTests
{
    [Theory]
    [InlineData("1.2.840.10008.1.2.4.50")]
    [InlineData("1.2.840.10008.1.2.4.90")]
    [InlineData("1.2.840.10008.1.2.5")]
    public void Common_compressed_syntax_is_one_shared_encapsulated_instance(string uid)
    {
        var first = TransferSyntax.FromUid(System.Text.Encoding.ASCII.GetBytes(uid));
        var second = TransferSyntax.FromUid(System.Text.Encoding.ASCII.GetBytes(uid));

        Assert.Same(first, second);
        Assert.Equal(new TransferSyntax(uid, true, false, false, true, true), first);
    }

    [Fact]
    public void Other_syntax_of_the_compressed_family_is_still_recognised()
    {
        var syntax = TransferSyntax.FromUid("1.2.840.10008.1.2.4.100"u8);

        Assert.Equal(new TransferSyntax("1.2.840.10008.1.2.4.100", true, false, false, true, true), syntax);
    }
}
