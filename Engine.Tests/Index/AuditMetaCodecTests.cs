using System.Reflection;
using Nccid.Batch.Audit;
using Nccid.Batch.Audit.Quality;
using Nccid.Batch.Index;
using Nccid.Batch.Tests.Audit;

namespace Nccid.Batch.Tests.Index;

public sealed class AuditMetaCodecTests
{
    private static AuditRule Rule(string id) => AuditChecks.Catalogue().First(r => r.Id == id);

    [Fact]
    public void Every_fact_and_finding_survives_the_round_trip_exactly()
    {
        var facts = FactsSamples.Full();
        AuditFinding[] findings =
        [
            new(QualityRules.FutureDate, Severity.Error, facts.Path, "1.2.3.4", "(0008,0020)", "StudyDate 2099-01-01 is after 2022-01-01"),
            new(Rule(QualityRules.FutureDate.Id), Severity.Info, "another/path.dcm", null, string.Empty, string.Empty),
        ];

        var (decodedFacts, decodedFindings) = AuditMetaCodec.Decode(AuditMetaCodec.Encode(facts, findings), Rule);

        // The public facts: the centre is the audit's, not kept in the index.
        FactsSamples.AssertSame(facts, decodedFacts, BindingFlags.Public | BindingFlags.Instance);
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
