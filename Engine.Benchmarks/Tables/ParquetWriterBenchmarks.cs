using System.Globalization;
using BenchmarkDotNet.Attributes;
using Nccid.Batch.Tables;

namespace Nccid.Batch.Benchmarks.Tables;

/// <summary>
/// Writing one full row group (100,000 rows, the default size) of the <c>instances</c> table to a part file,
/// with the default options (Zstandard, dictionary encoding of strings), with and without header_json; and the
/// fingerprint of the same rows (<see cref="TableSchema{TRow}.ContentFingerprint"/>), which a release computes to take
/// a part with unchanged rows over instead of writing it.
/// </summary>
[MemoryDiagnoser]
public class ParquetWriterBenchmarks
{
    private const int RowCount = 100_000;
    private InstanceRow[] _rows = [];
    private string _root = string.Empty;
    private int _run;
    private long _lastPartBytes;

    /// <summary>Whether the rows carry header_json.</summary>
    [Params(false, true)]
    public bool WithJson { get; set; }

    /// <summary>Projects 100,000 reference headers into rows.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _rows = ReferenceRows.Create(RowCount, WithJson);
        _root = Directory.CreateTempSubdirectory("nccid-benchmark-parquet-").FullName;
    }

    /// <summary>Reports the size of the part written, then removes the folder.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// part file: {_lastPartBytes:N0} bytes for {RowCount:N0} rows, header_json {WithJson}"));
        Directory.Delete(_root, recursive: true);
    }

    /// <summary>Removes the parts written by the last iteration, so the disk does not fill.</summary>
    [IterationCleanup]
    public void RemoveParts()
    {
        foreach (var folder in Directory.GetDirectories(_root)) Directory.Delete(folder, recursive: true);
    }

    /// <summary>Adds every row and completes the part.</summary>
    [Benchmark]
    public async Task<long> WriteRowGroup()
    {
        var folder = Path.Combine(_root, (++_run).ToString(CultureInfo.InvariantCulture));
        await using var writer = new ParquetPartWriter<InstanceRow>(folder, InstancesTable.Schema, new ParquetPartOptions());
        foreach (var row in _rows) await writer.AddAsync(row, CancellationToken.None).ConfigureAwait(false);
        await writer.CompleteAsync(CancellationToken.None).ConfigureAwait(false);
        _lastPartBytes = new FileInfo(writer.WrittenParts[0]).Length;
        return _lastPartBytes;
    }

    /// <summary>Hashes every value of every row.</summary>
    [Benchmark]
    public string ContentFingerprint() => InstancesTable.Schema.ContentFingerprint(_rows);
}
