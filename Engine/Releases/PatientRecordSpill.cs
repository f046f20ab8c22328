using System.Text.Json;
using Nccid.Batch.Clinical;
using Nccid.Batch.Index;

namespace Nccid.Batch.Releases;

/// <summary>
/// The cleaned clinical records of a release, in pseudonym order, in a file of the staging folder (one JSON object a
/// line, exact round trips) from the clinical load until the <c>patients</c> table and the documents are written, so
/// that the release does not hold every record while it loads the others and reads the instances. Deleted on dispose.
/// </summary>
internal sealed class PatientRecordSpill : IDisposable
{
    private const int BufferBytes = 64 << 10;

    // The index's payload settings (exact round trips of every value), with the records' serializer generated at build time.
    internal static readonly JsonSerializerOptions Json = new(IndexJson.Payload) { TypeInfoResolver = IndexJson.Generated(ReleaseJsonContext.Default) };

    private readonly string _path;
    private FileStream? _stream;
    private Utf8JsonWriter? _writer;
    private string? _last;

    private PatientRecordSpill(string path)
    {
        _path = path;
        _stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferBytes);
        _writer = new Utf8JsonWriter(_stream, new JsonWriterOptions { Encoder = IndexJson.Payload.Encoder });
    }

    /// <summary>Records written.</summary>
    public int Count { get; private set; }

    /// <summary>Creates the file at <paramref name="path"/>, to which the records are then added one at a time.</summary>
    public static PatientRecordSpill Create(string path) => new(path);

    /// <summary>Writes <paramref name="record"/>; records come in ascending ordinal pseudonym order, each patient once.</summary>
    /// <exception cref="InvalidOperationException">The file is complete, or the record is not after the last one.</exception>
    public void Add(PatientRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (_writer is null || _stream is null) throw new InvalidOperationException($"'{_path}' is complete: no record can be added.");
        if (_last is not null && string.CompareOrdinal(_last, record.Pseudonym) >= 0)
        {
            throw new InvalidOperationException($"'{_path}': a clinical record comes after one whose pseudonym is not before its own.");
        }

        JsonSerializer.Serialize(_writer, record, Json);
        _writer.Flush();
        _writer.Reset();
        _stream.WriteByte((byte)'\n');
        _last = record.Pseudonym;
        Count++;
    }

    /// <summary>Flushes and closes the file; the records can then be read back.</summary>
    public void Complete()
    {
        _writer?.Dispose();
        _writer = null;
        _stream?.Dispose();
        _stream = null;
    }

    /// <summary>The records, as written.</summary>
    /// <exception cref="InvalidOperationException">The file is not complete.</exception>
    public IEnumerable<PatientRecord> Read()
    {
        if (_stream is not null) throw new InvalidOperationException($"'{_path}' is still being written.");
        return ReadLines();
    }

    private IEnumerable<PatientRecord> ReadLines()
    {
        using var reader = new StreamReader(new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferBytes, FileOptions.SequentialScan));
        while (reader.ReadLine() is { } line)
        {
            yield return JsonSerializer.Deserialize<PatientRecord>(line, Json)
                ?? throw new InvalidDataException($"'{_path}': a clinical record line reads as null.");
        }
    }

    /// <summary>Deletes the file.</summary>
    public void Dispose()
    {
        Complete();
        if (File.Exists(_path)) File.Delete(_path);
    }
}
