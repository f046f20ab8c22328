using BenchmarkDotNet.Attributes;
using Nccid.Batch.Audit;
using Nccid.Batch.Dicom;
using Nccid.Batch.Index;
using Nccid.Batch.Pipeline;
using Nccid.Batch.Storage;

namespace Nccid.Batch.Benchmarks.Index;

/// <summary>
/// What the scan index costs per file: encoding an audited reference header's meta payload (facts and findings) and
/// its row (the instances row in binary, header_json apart), and decoding them again, as an incremental release does
/// for every unchanged file (meta) and for the files of chunks it writes again (rows).
/// </summary>
[MemoryDiagnoser]
public class IndexEntryBenchmarks
{
    private static readonly DateOnly ReferenceDate = new(2026, 1, 1);
    private AuditedInstance _audited = null!;
    private byte[] _meta = [];
    private byte[] _row = [];
    private string? _text;
    private Func<string, AuditRule> _ruleOf = null!;

    /// <summary>The header (nccid profile, header_json on).</summary>
    [Params(ReferenceSample.CrExplicitLittle, ReferenceSample.CtExplicitLittle)]
    public ReferenceSample Sample { get; set; }

    /// <summary>Audits the sample file once and encodes it.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var (folder, stored) = ReferenceFiles.WriteToTemporaryFolder(Sample);
        try
        {
            using var reader = new HeaderReader(DicomReadOptions.Default);
            var result = reader.ReadAsync(new LocalFileStore(folder), stored, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            if (result.Status != DicomParseStatus.Complete) throw new InvalidOperationException("The reference header does not parse: " + result.Error);
            var profile = AuditProfile.Nccid;
            var checks = AuditChecks.For(profile);
            _audited = new InstanceAuditor(checks, profile, ReferenceDate, includeHeaderJson: true).Audit(stored, reader, result);
            var rules = checks.InstanceChecks.SelectMany(c => c.Rules).Concat(AuditChecks.Catalogue()).DistinctBy(r => r.Id).ToDictionary(r => r.Id, StringComparer.Ordinal);
            _ruleOf = id => rules[id];
            _meta = AuditMetaCodec.Encode(_audited.Facts, _audited.Findings);
            _row = InstanceRowCodec.EncodeRow(_audited.Row);
            _text = _audited.Row.HeaderJson;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The meta payload: facts and findings (written for every file read).</summary>
    [Benchmark]
    public byte[] EncodeMeta() => AuditMetaCodec.Encode(_audited.Facts, _audited.Findings);

    /// <summary>Facts and findings back (every unchanged file of an incremental release).</summary>
    [Benchmark(Baseline = true)]
    public int DecodeMeta() => AuditMetaCodec.Decode(_meta, _ruleOf).Findings.Length;

    /// <summary>The row as the index keeps it (written for every file read).</summary>
    [Benchmark]
    public byte[] EncodeRow() => InstanceRowCodec.EncodeRow(_audited.Row);

    /// <summary>The row back (the unchanged files of a chunk written again).</summary>
    [Benchmark]
    public object DecodeRow() => InstanceRowCodec.DecodeRow(_row, _text);
}
