using System.Text.Json;
using Nccid.Batch.Clinical;
using Nccid.Batch.Index;

namespace Nccid.Batch.Releases;

/// <summary>
/// The cleaned clinical records of a release, in pseudonym order, in a file of the staging folder (one JSON object a
/// line, exact round trips) from the clinical load until the <c>patients</c> table and the documents are written, so
/// that the release does not hold every record while it reads the instances. Deleted on dispose.
/// </summary>
internal sealed class PatientRecordSpill : IDisposable
{
    private const int BufferBytes = 64 << 10;
    private readonly string _path;

    private PatientRecordSpill(string path, int count)
    {
        _path = path;
        Count = count;
    }

    /// <summary>Records written.</summary>
    public int Count { get; }

    /// <summary>Writes <paramref name="records"/> (in the order they are to be read back) to <paramref name="path"/>.</summary>
    public static PatientRecordSpill Write(string path, IEnumerable<PatientRecord> records)
    {
        var count = 0;
        using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferBytes))
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = IndexJson.Payload.Encoder }))
        {
            foreach (var record in records)
            {
                JsonSerializer.Serialize(writer, record, IndexJson.Payload);
                writer.Flush();
                writer.Reset();
                stream.WriteByte((byte)'\n');
                count++;
            }
        }

        return new PatientRecordSpill(path, count);
    }

    /// <summary>The records, as written.</summary>
    public IEnumerable<PatientRecord> Read()
    {
        using var reader = new StreamReader(new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferBytes, FileOptions.SequentialScan));
        while (reader.ReadLine() is { } line)
        {
            yield return JsonSerializer.Deserialize<PatientRecord>(line, IndexJson.Payload)
                ?? throw new InvalidDataException($"'{_path}': a clinical record line reads as null.");
        }
    }

    /// <summary>Deletes the file.</summary>
    public void Dispose()
    {
        if (File.Exists(_path)) File.Delete(_path);
    }
}
