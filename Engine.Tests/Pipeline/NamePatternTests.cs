using System.IO.Enumeration;
using Nccid.Batch.Pipeline;

namespace Nccid.Batch.Tests.Pipeline;

/// <summary>Include patterns: the ending shortcut answers as the general matcher does.</summary>
public sealed class NamePatternTests
{
    [Theory]
    [InlineData("*.dcm", "image.dcm", true)]
    [InlineData("*.dcm", "IMAGE.DCM", true)]
    [InlineData("*.dcm", "image.dcm.bak", false)]
    [InlineData("*.dcm", ".dcm", true)]
    [InlineData("*.dcm", "dcm", false)]
    [InlineData("*\\*", "a*", true)]
    [InlineData("*\\*", "a\\*", true)]
    [InlineData("*.dc?", "x.dcx", true)]
    [InlineData("IM*", "im0001", true)]
    [InlineData("*.dçm", "x.DÇM", true)]
    public void Known_patterns(string pattern, string name, bool matches)
    {
        Assert.Equal(matches, NamePattern.Matches(pattern, name));
        Assert.Equal(FileSystemName.MatchesSimpleExpression(pattern, name, ignoreCase: true), NamePattern.Matches(pattern, name));
    }

    [Fact]
    public void Random_names_and_patterns_answer_as_the_general_matcher()
    {
        var random = new Random(5);
        const string alphabet = "aAbB.dDcCmM-_ \\*?1é/";
        string Text(int max) => new(Enumerable.Range(0, random.Next(max + 1)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
        for (var n = 0; n < 50_000; n++)
        {
            var pattern = random.Next(3) == 0 ? Text(6) : "*" + Text(5);
            var name = random.Next(2) == 0 ? Text(10) : Text(6) + pattern.TrimStart('*');
            Assert.True(FileSystemName.MatchesSimpleExpression(pattern, name, ignoreCase: true) == NamePattern.Matches(pattern, name), $"'{pattern}' against '{name}'");
        }
    }
}
