using System.IO.Compression;
using System.Text;

namespace Nccid.Batch.Index;

/// <summary>
/// The index's segment files: one segment per chunk of the listing (see <see cref="Tables.PartChunker"/>), as two
/// files, its meta (the listing facts and meta payload of every entry, which every run reads) and its rows (each
/// entry's row and text, read only for the chunks a run writes again). Each is a magic line, then a Deflate stream
/// (fastest level) of records written with <see cref="BinaryWriter"/> (strings as UTF-8 with a 7-bit length prefix),
/// closed by an end marker. Entries stream in and out one at a time. (Parquet was tried first: its column chunks
/// hold every payload of a row group at once, and reading them back cost more than parsing the headers again.)
/// </summary>
internal static class ScanIndexSegment
{
    private const int BufferBytes = 1 << 16;

    private static readonly byte[] MetaMagic = "NCCID-SCAN-INDEX-META 4\n"u8.ToArray();

    private static readonly byte[] RowsMagic = "NCCID-SCAN-INDEX-ROWS 4\n"u8.ToArray();

    /// <summary>Reads a segment's entries in order; their rows load from <paramref name="rows"/>. A file without its end marker is an error, never a short read.</summary>
    /// <param name="path">The segment's meta file.</param>
    /// <param name="rows">Loads the entries' rows.</param>
    /// <param name="segment">The segment's number in <paramref name="rows"/>.</param>
    /// <param name="bufferBytes">The read buffers' size: smaller where many segments are read at once (the parts of a cluster's shards).</param>
    public static IEnumerable<ScanIndexEntry> ReadMeta(string path, ScanIndexRows rows, int segment, int bufferBytes = BufferBytes)
    {
        using var reader = Open(path, MetaMagic, bufferBytes);
        for (long ordinal = 0; ; ordinal++)
        {
            ScanIndexEntry entry;
            try
            {
                if (!reader.ReadBoolean()) yield break;
                entry = new ScanIndexEntry
                {
                    Key = ReadString(reader),
                    Size = reader.ReadInt64(),
                    ModifiedTicks = reader.ReadInt64(),
                    ETag = ReadNullable(reader),
                    ErrorKind = ReadNullable(reader),
                    DependsOnReferenceDate = reader.ReadBoolean(),
                    BytesRead = reader.ReadInt64(),
                    Requests = reader.ReadInt32(),
                    Payload = ReadBytes(reader),
                    Source = rows,
                    Segment = segment,
                    Ordinal = ordinal,
                };
            }
            catch (EndOfStreamException ex)
            {
                throw new InvalidDataException($"'{path}' ends before its end marker.", ex);
            }

            yield return entry;
        }
    }

    private static BinaryReader Open(string path, byte[] magic, int bufferBytes)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferBytes);
        try
        {
            var head = new byte[magic.Length];
            file.ReadExactly(head);
            if (!head.AsSpan().SequenceEqual(magic)) throw new InvalidDataException($"'{path}' is not a scan index segment of this version.");
            return new BinaryReader(new BufferedStream(new DeflateStream(file, CompressionMode.Decompress), bufferBytes), Encoding.UTF8);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private static string? ReadNullable(BinaryReader reader) => reader.ReadBoolean() ? ReadString(reader) : null;

    /// <summary>Reads a byte array written as a 7-bit length and the bytes.</summary>
    private static byte[] ReadBytes(BinaryReader reader)
    {
        var length = reader.Read7BitEncodedInt();
        if (length < 0) throw new InvalidDataException("A payload in a scan index segment has a negative length.");
        var bytes = length == 0 ? [] : new byte[length];
        reader.BaseStream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>
    /// Reads a string <see cref="BinaryWriter.Write(string)"/> wrote, decoding it in one piece: the reader's own
    /// <see cref="BinaryReader.ReadString"/> assembles long strings 128 bytes at a time through a StringBuilder.
    /// </summary>
    private static string ReadString(BinaryReader reader)
    {
        var length = reader.Read7BitEncodedInt();
        if (length < 0) throw new InvalidDataException("A string in a scan index segment has a negative length.");
        return Storage.SpillStrings.ReadUtf8(reader, length);
    }

    /// <summary>Reads a segment's rows file record by record, in order.</summary>
    internal sealed class RowsReader(string path, int bufferBytes = BufferBytes) : IDisposable
    {
        private readonly BinaryReader _reader = Open(path, RowsMagic, bufferBytes);

        /// <summary>The ordinal of the next record.</summary>
        public long Position { get; private set; }

        /// <summary>Reads the next row and text.</summary>
        public (byte[] Row, string? Text) Next()
        {
            try
            {
                if (!_reader.ReadBoolean()) throw new InvalidDataException($"'{path}' ends before row {Position}.");
                var row = ReadBytes(_reader);
                var text = ReadNullable(_reader);
                Position++;
                return (row, text);
            }
            catch (EndOfStreamException ex)
            {
                throw new InvalidDataException($"'{path}' ends before its end marker.", ex);
            }
        }

        public void Dispose() => _reader.Dispose();
    }

    /// <summary>Writes one segment's two files.</summary>
    internal sealed class Writer : IDisposable
    {
        private readonly Stream[] _files;
        private readonly DeflateStream[] _deflates;
        private readonly BinaryWriter _meta;
        private readonly BinaryWriter _rows;
        private bool _completed;

        public Writer(string metaPath, string rowsPath)
        {
            _files = [Create(metaPath, MetaMagic), Create(rowsPath, RowsMagic)];
            _deflates = [new DeflateStream(_files[0], CompressionLevel.Fastest, leaveOpen: true), new DeflateStream(_files[1], CompressionLevel.Fastest, leaveOpen: true)];
            _meta = new BinaryWriter(new BufferedStream(_deflates[0], BufferBytes), Encoding.UTF8, leaveOpen: false);
            _rows = new BinaryWriter(new BufferedStream(_deflates[1], BufferBytes), Encoding.UTF8, leaveOpen: false);
        }

        public long Count { get; private set; }

        /// <summary>Adds an entry; an entry read from an index loads its row first.</summary>
        public void Add(ScanIndexEntry entry)
        {
            var (row, text) = entry.LoadRow();
            _meta.Write(true);
            _meta.Write(entry.Key);
            _meta.Write(entry.Size);
            _meta.Write(entry.ModifiedTicks);
            WriteNullable(_meta, entry.ETag);
            WriteNullable(_meta, entry.ErrorKind);
            _meta.Write(entry.DependsOnReferenceDate);
            _meta.Write(entry.BytesRead);
            _meta.Write(entry.Requests);
            _meta.Write7BitEncodedInt(entry.Payload.Length);
            _meta.Write(entry.Payload);
            _rows.Write(true);
            _rows.Write7BitEncodedInt(row.Length);
            _rows.Write(row);
            WriteNullable(_rows, text);
            Count++;
        }

        /// <summary>Writes the end markers and makes the files durable.</summary>
        public void Complete()
        {
            _meta.Write(false);
            _rows.Write(false);
            _meta.Dispose();
            _rows.Dispose();
            foreach (var deflate in _deflates) deflate.Dispose();
            foreach (var file in _files)
            {
                ((FileStream)file).Flush(flushToDisk: true);
                file.Dispose();
            }

            _completed = true;
        }

        public void Dispose()
        {
            if (_completed) return;
            _meta.Dispose();
            _rows.Dispose();
            foreach (var deflate in _deflates) deflate.Dispose();
            foreach (var file in _files) file.Dispose();
        }

        private static FileStream Create(string path, byte[] magic)
        {
            var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferBytes);
            file.Write(magic);
            return file;
        }

        private static void WriteNullable(BinaryWriter writer, string? value)
        {
            writer.Write(value is not null);
            if (value is not null) writer.Write(value);
        }
    }
}
