using BenchmarkDotNet.Attributes;
using Nccid.Batch.Dicom;
using Nccid.Batch.Pipeline;
using Nccid.Batch.Storage;

namespace Nccid.Batch.Benchmarks.Dicom;

/// <summary>
/// Parsing one header, as a worker does file after file: the parser alone over the first 64 KiB already in
/// memory (one <see cref="DicomHeader"/> reused, so a parse should allocate nothing), and the header reader
/// over a file on the local disk (open, one positional read, parse).
/// </summary>
[MemoryDiagnoser]
public class HeaderParseBenchmarks
{
    private readonly DicomHeader _header = new();
    private ReadOnlyMemory<byte> _firstBytes;
    private long _fileLength;
    private string _folder = string.Empty;
    private LocalFileStore _store = null!;
    private StoredObject _stored = null!;
    private HeaderReader _reader = null!;

    /// <summary>The header and its encoding.</summary>
    [Params(ReferenceSample.CrExplicitLittle, ReferenceSample.CtExplicitLittle, ReferenceSample.CtImplicitLittle, ReferenceSample.CtExplicitBig)]
    public ReferenceSample Sample { get; set; }

    /// <summary>Writes the sample file (with full-size pixel data) and keeps its first 64 KiB in memory.</summary>
    [GlobalSetup]
    public void Setup()
    {
        (_folder, _stored) = ReferenceFiles.WriteToTemporaryFolder(Sample);
        _store = new LocalFileStore(_folder);
        _reader = new HeaderReader(DicomReadOptions.Default);
        _fileLength = _stored.Size;
        var first = new byte[(int)Math.Min(_reader.InitialReadBytes, _fileLength)];
        using (var stream = File.OpenRead(_store.FullPath(_stored.Key)))
        {
            stream.ReadExactly(first);
        }

        _firstBytes = first;
        if (Parse() != DicomParseStatus.Complete) throw new InvalidOperationException("The reference header does not parse: " + _header.Error);
    }

    /// <summary>Removes the sample file.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _reader.Dispose();
        _header.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>The parser alone, re-parsing into the same header index.</summary>
    [Benchmark(Baseline = true)]
    public DicomParseStatus Parse() => DicomParser.Parse(_firstBytes, _fileLength, _header, DicomReadOptions.Default);

    /// <summary>The header reader over the file: open, read the first 64 KiB, parse.</summary>
    [Benchmark]
    public ValueTask<HeaderReadResult> ReadFromFile() => _reader.ReadAsync(_store, _stored, CancellationToken.None);
}
