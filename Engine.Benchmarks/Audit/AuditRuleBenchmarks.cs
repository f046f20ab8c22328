using BenchmarkDotNet.Attributes;
using Nccid.Batch.Audit;
using Nccid.Batch.Dicom;
using Nccid.Batch.Pipeline;
using Nccid.Batch.Storage;

namespace Nccid.Batch.Benchmarks.Audit;

/// <summary>
/// The per-instance audit of one parsed reference header, per profile: <see cref="Rules"/> runs every instance
/// check of the profile over a prepared context (the rules alone); <see cref="Audit"/> is what a worker does per
/// file on top of parsing (projection, facts and the header hash, the rules, redaction of withheld identifiers).
/// </summary>
[MemoryDiagnoser]
public class AuditRuleBenchmarks
{
    private static readonly DateOnly ReferenceDate = new(2026, 1, 1);
    private string _folder = string.Empty;
    private StoredObject _stored = null!;
    private HeaderReader _reader = null!;
    private HeaderReadResult _result;
    private AuditChecks _checks = null!;
    private InstanceAuditor _auditor = null!;
    private InstanceContext _context = null!;
    private FindingCollector _collector = null!;

    /// <summary>The header (the rules do not depend on the encoding, so only explicit little endian).</summary>
    [Params(ReferenceSample.CrExplicitLittle, ReferenceSample.CtExplicitLittle)]
    public ReferenceSample Sample { get; set; }

    /// <summary>The built-in profile: basic (every rule, strictest) or nccid.</summary>
    [Params("basic", "nccid")]
    public string Profile { get; set; } = "basic";

    /// <summary>Writes and parses the sample file and prepares the auditor and the context.</summary>
    [GlobalSetup]
    public void Setup()
    {
        (_folder, _stored) = ReferenceFiles.WriteToTemporaryFolder(Sample);
        var store = new LocalFileStore(_folder);
        _reader = new HeaderReader(DicomReadOptions.Default);
        _result = _reader.ReadAsync(store, _stored, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        if (_result.Status != DicomParseStatus.Complete) throw new InvalidOperationException("The reference header does not parse: " + _result.Error);
        var profile = AuditProfile.BuiltIn(Profile) ?? throw new InvalidOperationException("No built-in profile " + Profile);
        _checks = AuditChecks.For(profile);
        _auditor = new InstanceAuditor(_checks, profile, ReferenceDate, includeHeaderJson: false);
        var audited = _auditor.Audit(_stored, _reader, _result);
        _context = new InstanceContext(_stored, _reader.Header, _result, audited.Facts, ReferenceDate);
        _collector = new FindingCollector(profile);
    }

    /// <summary>Removes the sample file.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _reader.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Every instance check of the profile over the prepared context; returns the number of findings.</summary>
    [Benchmark(Baseline = true)]
    public int Rules()
    {
        _collector.Begin(_stored.Key, _context.Facts.SopInstanceUid);
        foreach (var check in _checks.InstanceChecks) check.Check(_context, _collector);
        return _collector.Drain().Length;
    }

    /// <summary>The whole per-file audit on a worker: projection, facts, rules, redaction (header_json off).</summary>
    [Benchmark]
    public AuditedInstance Audit() => _auditor.Audit(_stored, _reader, _result);
}
