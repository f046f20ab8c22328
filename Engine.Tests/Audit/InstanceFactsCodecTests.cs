using System.Reflection;
using Nccid.Batch.Audit;

namespace Nccid.Batch.Tests.Audit;

public sealed class InstanceFactsCodecTests
{
    private static InstanceFacts RoundTrip(InstanceFacts facts) => RoundTrip(InstanceFactsCodec.Spill, facts);

    private static InstanceFacts RoundTrip(InstanceFactsCodec codec, InstanceFacts facts)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) codec.Write(writer, facts);
        stream.Position = 0;
        using var reader = new BinaryReader(stream);
        var decoded = codec.Read(reader);
        Assert.Equal(stream.Length, stream.Position);
        return decoded;
    }

    [Fact]
    public void A_spilled_instance_comes_back_with_every_fact_and_its_centre()
    {
        var facts = FactsSamples.Full();

        var decoded = RoundTrip(facts);

        // Public and internal properties: the centre travels with spilled facts.
        FactsSamples.AssertSame(facts, decoded, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance);
    }

    [Fact]
    public void Absent_facts_stay_absent()
    {
        var decoded = RoundTrip(new InstanceFacts { Path = "x.dcm" });

        Assert.Equal("x.dcm", decoded.Path);
        Assert.Null(decoded.SopInstanceUid);
        Assert.Null(decoded.ImagePositionPatient);
        Assert.Null(decoded.HeaderHash);
        Assert.Null(decoded.StudyDate);
        Assert.Null(decoded.SliceThickness);
        Assert.Null(decoded.Centre);
    }

    [Theory]
    [InlineData("duplicates", "Path Readable Centre Size HeaderHash SopInstanceUid")]
    [InlineData("series", "Path Readable Centre SopInstanceUid SopClassUid Modality SeriesInstanceUid FrameOfReferenceUid InstanceNumber ImagePositionPatient ImageOrientationPatient SliceThickness")]
    public void A_rules_spill_keeps_the_facts_it_reads_and_no_other(string rule, string kept)
    {
        var codec = rule == "duplicates" ? InstanceFactsCodec.ForDuplicates : InstanceFactsCodec.ForSeries;
        var facts = FactsSamples.Full();

        var decoded = RoundTrip(codec, facts);

        var names = kept.Split(' ').ToHashSet(StringComparer.Ordinal);
        foreach (var property in typeof(InstanceFacts).GetProperties(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance))
        {
            var got = property.GetValue(decoded);
            if (!names.Contains(property.Name))
            {
                Assert.True(got is null || got.Equals(0L), property.Name + " was spilled but the rule does not read it");
                continue;
            }

            var want = property.GetValue(facts);
            if (want is System.Collections.IEnumerable list and not string) Assert.Equal(list.Cast<object>(), ((System.Collections.IEnumerable)got!).Cast<object>());
            else Assert.Equal(want, got);
        }
    }
}
