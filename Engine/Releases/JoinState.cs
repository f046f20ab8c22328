using System.Text;

namespace Nccid.Batch.Releases;

/// <summary>
/// What the imaging–outcomes join made of each chunk of the instances table at the last release, kept beside the scan
/// index (<see cref="ReleaseIndex.JoinStatePath"/>), so that the next release replays a chunk whose rows, audit decisions
/// and patients' records are unchanged instead of reading its rows back. One record per chunk fingerprint, its payload
/// opaque here (see <see cref="ReleaseBuilder"/>). The file is a magic line, the validity it was written under, then
/// records (fingerprint, payload length, payload) and an end marker; it is replaced whole by rename. A file that cannot
/// be read, or of another validity, is ignored: every chunk is then joined from its rows.
/// </summary>
internal sealed class JoinState : IDisposable
{
    private static readonly byte[] Magic = "NCCID-JOIN-STATE 1\n"u8.ToArray();

    private readonly FileStream? _file;
    private readonly Dictionary<string, (long Offset, int Length)> _records = new(StringComparer.Ordinal);

    private JoinState(FileStream? file) => _file = file;

    /// <summary>Records in the file.</summary>
    public int Count => _records.Count;

    /// <summary>Opens the state at <paramref name="path"/> if it exists, is whole and was written under <paramref name="validity"/>; an empty state otherwise.</summary>
    public static JoinState Open(string path, string validity)
    {
        FileStream? file = null;
        try
        {
            if (!File.Exists(path)) return new JoinState(null);
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096);
            var state = new JoinState(file);
            using var reader = new BinaryReader(file, Encoding.UTF8, leaveOpen: true);
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic) || reader.ReadString() != validity) return Empty(file);
            while (reader.ReadBoolean())
            {
                var fingerprint = reader.ReadString();
                var length = reader.ReadInt32();
                if (length < 0 || file.Position + length > file.Length) return Empty(file);
                state._records[fingerprint] = (file.Position, length);
                file.Seek(length, SeekOrigin.Current);
            }

            return state;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or EndOfStreamException or FormatException)
        {
            return Empty(file);
        }

        static JoinState Empty(FileStream? file)
        {
            file?.Dispose();
            return new JoinState(null);
        }
    }

    /// <summary>The payload recorded for the chunk <paramref name="fingerprint"/>, or null.</summary>
    public byte[]? Find(string fingerprint)
    {
        if (_file is null || !_records.TryGetValue(fingerprint, out var at)) return null;
        var payload = new byte[at.Length];
        _file.Seek(at.Offset, SeekOrigin.Begin);
        _file.ReadExactly(payload);
        return payload;
    }

    public void Dispose() => _file?.Dispose();

    /// <summary>Writes the next state beside the file it replaces; nothing replaces it until <see cref="Commit"/>.</summary>
    internal sealed class Writer : IDisposable
    {
        private readonly string _path;
        private readonly string _temporary;
        private readonly FileStream _file;
        private readonly BinaryWriter _writer;
        private bool _committed;

        public Writer(string path, string validity)
        {
            _path = path;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            _temporary = path + ".tmp-" + Guid.NewGuid().ToString("N");
            _file = new FileStream(_temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            _writer = new BinaryWriter(_file, Encoding.UTF8, leaveOpen: true);
            _writer.Write(Magic);
            _writer.Write(validity);
        }

        /// <summary>Records what the join made of the chunk <paramref name="fingerprint"/>.</summary>
        public void Add(string fingerprint, ReadOnlySpan<byte> payload)
        {
            _writer.Write(true);
            _writer.Write(fingerprint);
            _writer.Write(payload.Length);
            _writer.Write(payload);
        }

        /// <summary>Ends the file and puts it in place of the last state.</summary>
        public void Commit()
        {
            _writer.Write(false);
            _writer.Flush();
            _file.Flush(flushToDisk: true);
            _writer.Dispose();
            _file.Dispose();
            File.Move(_temporary, _path, overwrite: true);
            _committed = true;
        }

        public void Dispose()
        {
            if (_committed) return;
            _writer.Dispose();
            _file.Dispose();
            File.Delete(_temporary);
        }
    }
}
