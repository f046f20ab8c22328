using Nccid.Batch.Audit;
using Nccid.Batch.Storage;
using Nccid.Batch.Tables;

namespace Nccid.Batch.Releases;

/// <summary>
/// Records what the imaging–outcomes join made of one chunk of the instances table, as a <see cref="JoinState"/>
/// payload: what it depended on (the audit's digest of the chunk, each part's outcome fingerprint, the digest of every
/// patient record it looked up) and what it added (the decisions on repeated SOP Instance UIDs, quarantine rows, the
/// first sex and age of each pseudonym, image orphans, study and series partials).
/// </summary>
/// <param name="auditDigest">The audit's digest of the chunk (<see cref="AuditSummary.ChunkDigests"/>).</param>
internal sealed class JoinRecord(string auditDigest)
{
    private readonly List<(string? Fingerprint, long Rows)> _parts = [];
    private readonly Dictionary<string, string> _patients = new(StringComparer.Ordinal);
    private readonly List<string> _patientOrder = [];
    private readonly List<(string Sop, bool Released)> _decisions = [];
    private readonly List<QuarantineRow> _quarantine = [];
    private readonly Dictionary<string, (string? Sex, int? Age)> _facts = new(StringComparer.Ordinal);
    private readonly List<string> _factsOrder = [];
    private readonly List<(string Pseudonym, string Path, int ModifiedDay)> _orphans = [];

    public void Part(string? outcomeFingerprint, long rows) => _parts.Add((outcomeFingerprint, rows));

    public void Patient(string pseudonym, string digest)
    {
        if (_patients.TryAdd(pseudonym, digest)) _patientOrder.Add(pseudonym);
    }

    public void Decision(string sop, bool released) => _decisions.Add((sop, released));

    public void Quarantine(QuarantineRow row) => _quarantine.Add(row);

    /// <summary>The first sex and age of <paramref name="pseudonym"/> in the chunk (later ones are ignored).</summary>
    public void Facts(string pseudonym, (string? Sex, int? Age) facts)
    {
        if (_facts.TryAdd(pseudonym, facts)) _factsOrder.Add(pseudonym);
    }

    public void Orphan(string pseudonym, string path, int modifiedDay) => _orphans.Add((pseudonym, path, modifiedDay));

    /// <summary>The payload, with the partials <paramref name="aggregation"/> recorded for the chunk.</summary>
    public byte[] Encode(StudySeriesAggregation aggregation)
    {
        using var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            w.Write(auditDigest);
            w.Write7BitEncodedInt(_parts.Count);
            foreach (var (fingerprint, rows) in _parts)
            {
                InstanceFactsCodec.Str(w, fingerprint);
                w.Write(rows);
            }

            w.Write7BitEncodedInt(_patientOrder.Count);
            foreach (var pseudonym in _patientOrder)
            {
                w.Write(pseudonym);
                w.Write(_patients[pseudonym]);
            }

            w.Write7BitEncodedInt(_decisions.Count);
            foreach (var (sop, released) in _decisions)
            {
                w.Write(sop);
                w.Write(released);
            }

            w.Write7BitEncodedInt(_quarantine.Count);
            foreach (var row in _quarantine) QuarantineMerge.Codec.Write(w, row);
            w.Write7BitEncodedInt(_factsOrder.Count);
            foreach (var pseudonym in _factsOrder)
            {
                w.Write(pseudonym);
                InstanceFactsCodec.Str(w, _facts[pseudonym].Sex);
                InstanceFactsCodec.Int(w, _facts[pseudonym].Age);
            }

            w.Write7BitEncodedInt(_orphans.Count);
            foreach (var (pseudonym, path, day) in _orphans)
            {
                w.Write(pseudonym);
                w.Write(path);
                w.Write(day);
            }

            aggregation.WriteRecorded(w);
        }

        return buffer.ToArray();
    }
}

/// <summary>
/// A chunk's <see cref="JoinRecord"/> payload found still good: the audit's digest, every patient record's digest and
/// the part count are as recorded, and the latest release holds every outcome part. <see cref="TryReplay"/> then checks
/// the decisions on repeated UIDs against this release's, and <see cref="Apply"/> adds what the chunk added.
/// </summary>
internal sealed class JoinReplay
{
    private readonly BinaryReader _reader;

    private JoinReplay(byte[] payload, BinaryReader reader, List<(IReadOnlyList<string> Parts, long Rows)> outcomeParts)
    {
        Payload = payload;
        _reader = reader;
        OutcomeParts = outcomeParts;
    }

    /// <summary>The payload, recorded again for the next release as it is.</summary>
    public byte[] Payload { get; }

    /// <summary>The latest release's outcome parts of the chunk, in order, with their rows.</summary>
    public IReadOnlyList<(IReadOnlyList<string> Parts, long Rows)> OutcomeParts { get; }

    /// <summary>The payload as a replay, or null when something it depended on changed, or it cannot be read.</summary>
    public static async Task<JoinReplay?> PrepareAsync(byte[] payload, string auditDigest, int parts, Func<string, string> patientDigest, PartReuse reuse,
        CancellationToken cancellationToken)
    {
        try
        {
            var reader = new BinaryReader(new MemoryStream(payload, writable: false), System.Text.Encoding.UTF8);
            if (reader.ReadString() != auditDigest || reader.Read7BitEncodedInt() != parts) return null;
            var fingerprints = new List<(string? Fingerprint, long Rows)>(parts);
            for (var p = 0; p < parts; p++) fingerprints.Add((InstanceFactsCodec.ReadStr(reader), reader.ReadInt64()));
            for (var n = reader.Read7BitEncodedInt(); n > 0; n--)
            {
                var pseudonym = reader.ReadString();
                if (reader.ReadString() != patientDigest(pseudonym)) return null;
            }

            var outcomeParts = new List<(IReadOnlyList<string> Parts, long Rows)>();
            foreach (var (fingerprint, rows) in fingerprints)
            {
                if (rows == 0) continue;
                if (fingerprint is null) return null;
                if (await reuse.FindAsync(ImagingOutcomesTable.Schema.Name, fingerprint, rows, cancellationToken).ConfigureAwait(false) is not { } found) return null;
                outcomeParts.Add((found, rows));
            }

            return new JoinReplay(payload, reader, outcomeParts);
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException or FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// Replays the decisions on repeated SOP Instance UIDs against <paramref name="released"/>: true when each comes out as
    /// recorded (the UIDs are then released); false, with <paramref name="released"/> as it was, when one does not.
    /// </summary>
    public bool TryReplay(HashSet<string> released)
    {
        var added = new List<string>();
        for (var n = _reader.Read7BitEncodedInt(); n > 0; n--)
        {
            var sop = _reader.ReadString();
            var first = released.Add(sop);
            if (first) added.Add(sop);
            if (first != _reader.ReadBoolean())
            {
                foreach (var uid in added) released.Remove(uid);
                return false;
            }
        }

        return true;
    }

    /// <summary>Adds what the chunk added to the release's quarantine, pseudonyms' facts, orphans (aged on <paramref name="releaseDate"/>) and studies and series.</summary>
    public void Apply(ExternalSorter<QuarantineRow> quarantine, Dictionary<string, (string? Sex, int? Age)> dicomFacts, ExternalSorter<OrphanRow> orphans, DateOnly releaseDate,
        StudySeriesAggregation aggregation)
    {
        for (var n = _reader.Read7BitEncodedInt(); n > 0; n--) quarantine.Add(QuarantineMerge.Codec.Read(_reader));
        for (var n = _reader.Read7BitEncodedInt(); n > 0; n--)
        {
            var pseudonym = _reader.ReadString();
            dicomFacts.TryAdd(pseudonym, (InstanceFactsCodec.ReadStr(_reader), InstanceFactsCodec.ReadInt(_reader)));
        }

        for (var n = _reader.Read7BitEncodedInt(); n > 0; n--)
        {
            var pseudonym = _reader.ReadString();
            var path = _reader.ReadString();
            orphans.Add(new OrphanRow { Kind = "image", Pseudonym = pseudonym, Path = path, AgeDays = releaseDate.DayNumber - _reader.ReadInt32() });
        }

        aggregation.Replay(_reader);
    }
}
