using System.IO.Compression;
using System.Text;

namespace Nccid.Batch.Index;

/// <summary>
/// The index's segment file format: a magic line, then a Deflate stream (fastest level) of records written one
/// after another with <see cref="BinaryWriter"/> (strings as UTF-8 with a 7-bit length prefix), closed by an end
/// marker. Entries stream in and out one at a time, so neither writing nor reading holds more than one entry and a
/// buffer, whatever the number of objects. (Parquet was tried first: its column chunks hold every payload of a row
/// group at once, and reading them back cost more than parsing the headers again.)
/// </summary>
internal static class ScanIndexSegment
{
    private const int BufferBytes = 1 << 20;

    /// <summary>The first bytes of every segment, with the format version.</summary>
    private static readonly byte[] Magic = "NCCID-SCAN-INDEX 1\n"u8.ToArray();

    /// <summary>Reads a segment's entries in order; a segment without its end marker is an error, never a short read.</summary>
    public static IEnumerable<ScanIndexEntry> Read(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferBytes);
        var magic = new byte[Magic.Length];
        file.ReadExactly(magic);
        if (!magic.AsSpan().SequenceEqual(Magic)) throw new InvalidDataException($"'{path}' is not a scan index segment of this version.");
        using var deflate = new DeflateStream(file, CompressionMode.Decompress);
        using var reader = new BinaryReader(new BufferedStream(deflate, BufferBytes), Encoding.UTF8);
        while (true)
        {
            ScanIndexEntry entry;
            try
            {
                if (!reader.ReadBoolean()) yield break;
                entry = new ScanIndexEntry
                {
                    Key = reader.ReadString(),
                    Size = reader.ReadInt64(),
                    ModifiedTicks = reader.ReadInt64(),
                    ErrorKind = ReadNullable(reader),
                    DependsOnReferenceDate = reader.ReadBoolean(),
                    BytesRead = reader.ReadInt64(),
                    Requests = reader.ReadInt32(),
                    Payload = reader.ReadString(),
                    Text = ReadNullable(reader),
                };
            }
            catch (EndOfStreamException ex)
            {
                throw new InvalidDataException($"'{path}' ends before its end marker.", ex);
            }

            yield return entry;
        }
    }

    private static string? ReadNullable(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadString() : null;

    /// <summary>Writes entries to a new segment file.</summary>
    internal sealed class Writer : IDisposable
    {
        private readonly FileStream _file;
        private readonly DeflateStream _deflate;
        private readonly BinaryWriter _writer;
        private bool _completed;

        public Writer(string path)
        {
            _file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferBytes);
            _file.Write(Magic);
            _deflate = new DeflateStream(_file, CompressionLevel.Fastest, leaveOpen: true);
            _writer = new BinaryWriter(new BufferedStream(_deflate, BufferBytes), Encoding.UTF8, leaveOpen: false);
        }

        public long Count { get; private set; }

        public void Add(ScanIndexEntry entry)
        {
            _writer.Write(true);
            _writer.Write(entry.Key);
            _writer.Write(entry.Size);
            _writer.Write(entry.ModifiedTicks);
            WriteNullable(entry.ErrorKind);
            _writer.Write(entry.DependsOnReferenceDate);
            _writer.Write(entry.BytesRead);
            _writer.Write(entry.Requests);
            _writer.Write(entry.Payload);
            WriteNullable(entry.Text);
            Count++;
        }

        /// <summary>Writes the end marker and makes the file durable.</summary>
        public void Complete()
        {
            _writer.Write(false);
            _writer.Dispose();
            _deflate.Dispose();
            _file.Flush(flushToDisk: true);
            _file.Dispose();
            _completed = true;
        }

        public void Dispose()
        {
            if (_completed) return;
            _writer.Dispose();
            _deflate.Dispose();
            _file.Dispose();
        }

        private void WriteNullable(string? value)
        {
            _writer.Write(value is not null);
            if (value is not null) _writer.Write(value);
        }
    }
}
