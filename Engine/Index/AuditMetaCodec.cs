using System.Buffers.Binary;
using System.Text;
using Nccid.Batch.Audit;

namespace Nccid.Batch.Index;

/// <summary>
/// The meta payload of an audited instance: its collection facts and its findings, in a compact binary form that
/// every incremental run decodes for every file (JSON took as long to decode as the rest of the entry's reuse).
/// Strings are UTF-8 with a 7-bit length (a leading 0 marks null, lengths are stored plus one); numbers are
/// little-endian; doubles keep their bits, NaN included. A finding's path is left out when it is the instance's.
/// </summary>
internal static class AuditMetaCodec
{
    private const byte Version = 1;

    // One buffer per thread, reused from file to file: the payload is then the only array an encoding allocates.
    [ThreadStatic]
    private static BinaryWriter? t_writer;

    /// <summary>Encodes <paramref name="facts"/> and <paramref name="findings"/>.</summary>
    public static byte[] Encode(InstanceFacts facts, AuditFinding[] findings)
    {
        var w = t_writer ??= new BinaryWriter(new MemoryStream(4096), Encoding.UTF8);
        var stream = (MemoryStream)w.BaseStream;
        stream.SetLength(0);
        w.Write(Version);
        InstanceFactsCodec.WriteFacts(w, facts);
        w.Write7BitEncodedInt(findings.Length);
        foreach (var f in findings)
        {
            InstanceFactsCodec.Str(w, f.Rule.Id);
            w.Write7BitEncodedInt((int)f.Severity);
            InstanceFactsCodec.Str(w, string.Equals(f.Path, facts.Path, StringComparison.Ordinal) ? null : f.Path);
            InstanceFactsCodec.Str(w, f.SopInstanceUid);
            InstanceFactsCodec.Str(w, f.TagPath);
            InstanceFactsCodec.Str(w, f.Detail);
        }

        w.Flush();
        var payload = stream.ToArray();
        // A rare file with a very long list of findings does not leave its buffer behind.
        if (stream.Capacity > 1 << 20) t_writer = null;
        return payload;
    }

    /// <summary>
    /// Decodes what <see cref="Encode"/> made; <paramref name="ruleOf"/> looks a rule up by id. Values that repeat across
    /// entries are shared through <see cref="Utf8Strings"/>; the path and SOP Instance UID, which do not repeat, are
    /// decoded, and a finding's SOP Instance UID is the instance's own string when it is the same.
    /// </summary>
    public static (InstanceFacts Facts, AuditFinding[] Findings) Decode(ReadOnlySpan<byte> payload, Func<string, AuditRule> ruleOf)
    {
        var r = new Reader(payload);
        if (r.Byte() != Version) throw new InvalidDataException("An index entry's meta payload has an unknown version.");
        var path = r.Str() ?? throw new InvalidDataException("An index entry's facts have no path.");
        var size = r.Long();
        var readable = r.Bool();
        var folderPseudonym = r.Shared();
        var sopBytes = r.Utf8(out var hasSop);
        var sop = hasSop ? Encoding.UTF8.GetString(sopBytes) : null;
        var facts = new InstanceFacts
        {
            Path = path,
            Size = size,
            Readable = readable,
            FolderPseudonym = folderPseudonym,
            SopInstanceUid = sop,
            SopClassUid = r.Shared(),
            Modality = r.Shared(),
            PatientId = r.Shared(),
            PatientSex = r.Shared(),
            BirthYear = r.Int(),
            AgeYears = r.Int(),
            StudyDate = r.Int() is { } day ? DateOnly.FromDayNumber(day) : null,
            StudyInstanceUid = r.Shared(),
            SeriesInstanceUid = r.Shared(),
            FrameOfReferenceUid = r.Shared(),
            InstanceNumber = r.Int(),
            ImagePositionPatient = r.Doubles(),
            ImageOrientationPatient = r.Doubles(),
            SliceThickness = r.Bool() ? r.Double() : null,
            HeaderHash = r.Bytes(),
        };

        var findings = new AuditFinding[r.Count()];
        for (var i = 0; i < findings.Length; i++)
        {
            var rule = ruleOf(r.Shared() ?? throw new InvalidDataException($"A finding of '{path}' in the index has no rule."));
            var severity = (Severity)r.Count();
            var findingPath = r.Str() ?? path;
            var findingSopBytes = r.Utf8(out var hasFindingSop);
            var findingSop = !hasFindingSop ? null : sop is not null && findingSopBytes.SequenceEqual(sopBytes) ? sop : Encoding.UTF8.GetString(findingSopBytes);
            var tagPath = r.Shared() ?? string.Empty;
            var detail = r.Shared() ?? string.Empty;
            findings[i] = new AuditFinding(rule, severity, findingPath, findingSop, tagPath, detail);
        }

        if (!r.AtEnd) throw new InvalidDataException($"The meta payload of '{path}' in the index has bytes after its end.");
        return (facts, findings);
    }

    /// <summary>Reads the payload in place; any read past its end is an <see cref="InvalidDataException"/>.</summary>
    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _at;

        public readonly bool AtEnd => _at == _data.Length;

        public byte Byte() => Take(1)[0];

        public bool Bool() => Take(1)[0] != 0;

        public long Long() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

        public double Double() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

        public int? Int() => Bool() ? BinaryPrimitives.ReadInt32LittleEndian(Take(4)) : null;

        public int Count()
        {
            var value = 0;
            for (var shift = 0; shift < 35; shift += 7)
            {
                var b = Take(1)[0];
                value |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    if (value < 0) break;
                    return value;
                }
            }

            throw new InvalidDataException("An index entry's meta payload holds a bad length.");
        }

        public string? Str()
        {
            var length = Count();
            return length == 0 ? null : Encoding.UTF8.GetString(Take(length - 1));
        }

        /// <summary>A string many entries repeat, shared (<see cref="Utf8Strings"/>).</summary>
        public string? Shared()
        {
            var length = Count();
            return length == 0 ? null : Utf8Strings.Get(Take(length - 1));
        }

        /// <summary>A string's bytes, undecoded (empty, and <paramref name="present"/> false, for null).</summary>
        public ReadOnlySpan<byte> Utf8(out bool present)
        {
            var length = Count();
            present = length != 0;
            return present ? Take(length - 1) : default;
        }

        public double[]? Doubles()
        {
            var length = Count();
            if (length == 0) return null;
            var values = new double[length - 1];
            for (var i = 0; i < values.Length; i++) values[i] = Double();
            return values;
        }

        public byte[]? Bytes()
        {
            var length = Count();
            return length == 0 ? null : Take(length - 1).ToArray();
        }

        private ReadOnlySpan<byte> Take(int count)
        {
            if (count < 0 || _at + count > _data.Length) throw new InvalidDataException("An index entry's meta payload ends early.");
            var slice = _data.Slice(_at, count);
            _at += count;
            return slice;
        }
    }
}
