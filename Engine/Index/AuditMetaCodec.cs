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
    private const byte Version = 2;

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
        var r = new PayloadReader(payload);
        if (r.Byte() != Version) throw new InvalidDataException("An index entry's meta payload has an unknown version.");
        var path = r.Str() ?? throw new InvalidDataException("An index entry's facts have no path.");
        var readable = r.Bool();
        var size = r.Long();
        var headerHash = r.Bytes();
        var sopBytes = r.Utf8(out var hasSop);
        var sop = hasSop ? Encoding.UTF8.GetString(sopBytes) : null;
        // In InstanceFactsCodec.WriteFacts' order: content, SOP instance, patient and study, series.
        var facts = new InstanceFacts
        {
            Path = path,
            Size = size,
            Readable = readable,
            HeaderHash = headerHash,
            SopInstanceUid = sop,
            FolderPseudonym = r.Shared(),
            PatientId = r.Shared(),
            PatientSex = r.Shared(),
            BirthYear = r.Int(),
            AgeYears = r.Int(),
            StudyDate = r.Int() is { } day ? DateOnly.FromDayNumber(day) : null,
            StudyInstanceUid = r.Shared(),
            SopClassUid = r.Shared(),
            Modality = r.Shared(),
            SeriesInstanceUid = r.Shared(),
            FrameOfReferenceUid = r.Shared(),
            InstanceNumber = r.Int(),
            ImagePositionPatient = r.Doubles(),
            ImageOrientationPatient = r.Doubles(),
            SliceThickness = r.Bool() ? r.Double() : null,
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
}
