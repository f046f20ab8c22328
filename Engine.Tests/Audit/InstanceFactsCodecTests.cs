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
        var facts = new InstanceFacts
        {
            Path = "training/ct/P1/é/1.dcm", Size = 123_456_789_012, Readable = true, FolderPseudonym = "P1", SopInstanceUid = "1.2.3.4", SopClassUid = "1.2.840.10008.5.1.4.1.1.2",
            Modality = "CT", PatientId = "P1", PatientSex = "F", BirthYear = 1950, AgeYears = 71, StudyDate = new DateOnly(2021, 3, 4), StudyInstanceUid = "1.2.3",
            SeriesInstanceUid = "1.2.3.9", FrameOfReferenceUid = "1.2.3.10", InstanceNumber = -7, ImagePositionPatient = [-1.5, double.NaN, double.PositiveInfinity],
            ImageOrientationPatient = [1, 0, 0, 0, 1, -0.0], SliceThickness = 0.625, HeaderHash = [1, 2, 3, 255],
            Centre = "centre-é",
        };

        var decoded = RoundTrip(facts);

        // Every property, public or not, by reflection: a fact added later without a place in the record fails here.
        foreach (var property in typeof(InstanceFacts).GetProperties(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance))
        {
            var expected = property.GetValue(facts);
            var actual = property.GetValue(decoded);
            Assert.NotNull(expected);
            if (expected is System.Collections.IEnumerable list and not string) Assert.Equal(list.Cast<object>(), ((System.Collections.IEnumerable)actual!).Cast<object>());
            else Assert.Equal(expected, actual);
        }

        Assert.Equal(BitConverter.DoubleToInt64Bits(-0.0), BitConverter.DoubleToInt64Bits(decoded.ImageOrientationPatient![5]));
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
