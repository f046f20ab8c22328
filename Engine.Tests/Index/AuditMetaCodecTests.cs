using Nccid.Batch.Audit;
using Nccid.Batch.Audit.Quality;
using Nccid.Batch.Index;

namespace Nccid.Batch.Tests.Index;

public sealed class AuditMetaCodecTests
{
    private static AuditRule Rule(string id) => AuditChecks.Catalogue().First(r => r.Id == id);

    [Fact]
    public void Every_fact_and_finding_survives_the_round_trip_exactly()
    {
        var facts = new InstanceFacts
        {
            Path = "training/ct/P1/é/1.dcm", Size = 123_456_789_012, Readable = true, FolderPseudonym = "P1", SopInstanceUid = "1.2.3.4", SopClassUid = "1.2.840.10008.5.1.4.1.1.2",
            Modality = "CT", PatientId = "P1", PatientSex = "F", BirthYear = 1950, AgeYears = 71, StudyDate = new DateOnly(2021, 3, 4), StudyInstanceUid = "1.2.3",
            SeriesInstanceUid = "1.2.3.9", FrameOfReferenceUid = "1.2.3.10", InstanceNumber = -7, ImagePositionPatient = [-1.5, double.NaN, double.PositiveInfinity],
            ImageOrientationPatient = [1, 0, 0, 0, 1, -0.0], SliceThickness = 0.625, HeaderHash = [1, 2, 3, 255],
        };
        AuditFinding[] findings =
        [
            new(QualityRules.FutureDate, Severity.Error, facts.Path, "1.2.3.4", "(0008,0020)", "StudyDate 2099-01-01 is after 2022-01-01"),
            new(Rule(QualityRules.FutureDate.Id), Severity.Info, "another/path.dcm", null, string.Empty, string.Empty),
        ];

        var (decodedFacts, decodedFindings) = AuditMetaCodec.Decode(AuditMetaCodec.Encode(facts, findings), Rule);

        // Every property, by reflection: a fact added later without a place in the payload fails here.
        foreach (var property in typeof(InstanceFacts).GetProperties())
        {
            var expected = property.GetValue(facts);
            var actual = property.GetValue(decodedFacts);
            if (expected is System.Collections.IEnumerable list and not string) Assert.Equal(list.Cast<object>(), ((System.Collections.IEnumerable)actual!).Cast<object>());
            else Assert.Equal(expected, actual);
            Assert.NotNull(expected);
        }

        Assert.True(BitConverter.DoubleToInt64Bits(-0.0) == BitConverter.DoubleToInt64Bits(decodedFacts.ImageOrientationPatient![5]));
        Assert.Equal(findings, decodedFindings);
    }

    [Fact]
    public void Absent_facts_stay_absent_and_a_damaged_payload_is_an_error()
    {
        var facts = new InstanceFacts { Path = "x.dcm" };
        var bytes = AuditMetaCodec.Encode(facts, []);
        var (decoded, findings) = AuditMetaCodec.Decode(bytes, Rule);
        Assert.Null(decoded.SopInstanceUid);
        Assert.Null(decoded.ImagePositionPatient);
        Assert.Null(decoded.HeaderHash);
        Assert.Null(decoded.StudyDate);
        Assert.Empty(findings);

        Assert.Throws<InvalidDataException>(() => AuditMetaCodec.Decode(bytes.AsSpan(0, bytes.Length - 1), Rule));
        Assert.Throws<InvalidDataException>(() => AuditMetaCodec.Decode([.. bytes, 0], Rule));
        Assert.Throws<InvalidDataException>(() => AuditMetaCodec.Decode([9, .. bytes.AsSpan(1)], Rule));
    }
}
