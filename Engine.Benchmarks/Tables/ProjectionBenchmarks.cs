using BenchmarkDotNet.Attributes;
using Nccid.Batch.Dicom;
using Nccid.Batch.Pipeline;
using Nccid.Batch.Storage;
using Nccid.Batch.Tables;

namespace Nccid.Batch.Benchmarks.Tables;

/// <summary>
/// Turning one parsed header into an <see cref="InstanceRow"/>: the typed columns only, and with the whole
/// header as DICOM JSON. The header is parsed once in setup; only the projection is measured.
/// </summary>
[MemoryDiagnoser]
public class ProjectionBenchmarks
{
    private string _folder = string.Empty;
    private StoredObject _stored = null!;
    private HeaderReader _reader = null!;
    private HeaderReadResult _result;
    private InstanceProjector _projector = null!;

    /// <summary>The header (projection does not depend on the encoding, so only explicit little endian).</summary>
    [Params(ReferenceSample.CrExplicitLittle, ReferenceSample.CtExplicitLittle)]
    public ReferenceSample Sample { get; set; }

    /// <summary>Whether the header_json column is filled.</summary>
    [Params(false, true)]
    public bool WithJson { get; set; }

    /// <summary>Writes and parses the sample file.</summary>
    [GlobalSetup]
    public void Setup()
    {
        (_folder, _stored) = ReferenceFiles.WriteToTemporaryFolder(Sample);
        var store = new LocalFileStore(_folder);
        _reader = new HeaderReader(DicomReadOptions.Default);
        _result = _reader.ReadAsync(store, _stored, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        if (_result.Status != DicomParseStatus.Complete) throw new InvalidOperationException("The reference header does not parse: " + _result.Error);
        _projector = new InstanceProjector(WithJson);
    }

    /// <summary>Removes the sample file.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _reader.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Projects the header into a new row.</summary>
    [Benchmark]
    public InstanceRow Project() => _projector.Project(_stored, _reader, _result);
}
