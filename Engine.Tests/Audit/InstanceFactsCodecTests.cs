using System.Reflection;
using Nccid.Batch.Audit;

namespace Nccid.Batch.Tests.Audit;

public sealed class InstanceFactsCodecTests
{
    private static InstanceFacts RoundTrip(InstanceFacts facts)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) InstanceFactsCodec.Spill.Write(writer, facts);
        stream.Position = 0;
        using var reader = new BinaryReader(stream);
        var decoded = InstanceFactsCodec.Spill.Read(reader);
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
}
