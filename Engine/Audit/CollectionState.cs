using System.Text;

namespace Nccid.Batch.Audit;

/// <summary>
/// What the collection rules knew of each chunk of a run (<see cref="Tables.PartChunker"/>), kept for the next run: per
/// check, the keys of the groups the chunk's instances belong to (<see cref="ICollectionCheck.AddGroupKeys"/>) and the
/// findings reported on its instances, the SOP Instance UIDs the duplicate rule found shared whose first file is in
/// it, and what the audit counted of it (<see cref="ChunkTally"/>). A chunk of the next run with the same fingerprint, every file of it unchanged, keeps those findings unless one of
/// its groups reaches a chunk that changed (see <see cref="AuditSink"/>). The file is a cache: it is replaced whole
/// (written aside, then renamed), and one that cannot be read, of another layout or made under other rules is ignored.
/// </summary>
internal sealed class CollectionState
{
    private static readonly byte[] Magic = "NCCID-COLLECTION-STATE 2\n"u8.ToArray();

    /// <summary>One chunk's part of the state.</summary>
    /// <param name="Fingerprint">The chunk's fingerprint.</param>
    /// <param name="Keys">Per check, where its group keys (sorted and distinct) lie in the run's <see cref="GroupKeySpill"/>.</param>
    /// <param name="Findings">Per check, the findings on the chunk's instances (without their centre, which is the run's).</param>
    /// <param name="SharedUids">The shared SOP Instance UIDs whose first file is in the chunk.</param>
    /// <param name="Tally">What the audit counted of the chunk's instances and their own findings.</param>
    public sealed record Chunk(string Fingerprint, KeyRange[] Keys, IReadOnlyList<AuditFinding>[] Findings, IReadOnlyList<string> SharedUids, ChunkTally Tally);

    /// <summary>The chunks, in listing order.</summary>
    public required IReadOnlyList<Chunk> Chunks { get; init; }

    /// <summary>
    /// Reads <paramref name="path"/>, its group keys into <paramref name="keys"/>; null when it is missing, unreadable, of
    /// another layout, or was made for another <paramref name="validity"/> or number of checks.
    /// </summary>
    public static CollectionState? Load(string path, string validity, int checks, Func<string, AuditRule?> ruleOf, GroupKeySpill keys)
    {
        if (!File.Exists(path)) return null;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            var head = new byte[Magic.Length];
            stream.ReadExactly(head);
            if (!head.AsSpan().SequenceEqual(Magic)) return null;
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            if (reader.ReadString() != validity || reader.ReadInt32() != checks) return null;
            var count = Count(reader, 1);
            var chunks = new List<Chunk>(count);
            for (var c = 0; c < count; c++)
            {
                var fingerprint = reader.ReadString();
                var ranges = new KeyRange[checks];
                var findings = new IReadOnlyList<AuditFinding>[checks];
                for (var i = 0; i < checks; i++)
                {
                    ranges[i] = keys.Write(reader, Count(reader, sizeof(ulong)));
                    var list = new AuditFinding[Count(reader, 1)];
                    for (var f = 0; f < list.Length; f++)
                    {
                        if (AuditFindingSpill.ReadFinding(reader, ruleOf) is not { } finding) return null;
                        list[f] = finding;
                    }

                    findings[i] = list;
                }

                var shared = new string[Count(reader, 1)];
                for (var u = 0; u < shared.Length; u++) shared[u] = reader.ReadString();
                var tally = new ChunkTally();
                for (var g = reader.ReadInt32(); g > 0; g--)
                {
                    var group = tally.AddGroup(InstanceFactsCodec.ReadStr(reader), InstanceFactsCodec.ReadStr(reader), reader.ReadString());
                    group.Files = reader.ReadInt32();
                    group.ErrorFiles = reader.ReadInt32();
                    for (var f = reader.ReadInt32(); f > 0; f--) group.Findings[(reader.ReadString(), (Severity)reader.ReadByte())] = reader.ReadInt32();
                }

                for (var m = reader.ReadInt32(); m > 0; m--)
                {
                    var group = reader.ReadInt32();
                    if (group < 0 || group >= tally.Groups.Count) return null;
                    tally.Marks.Add(new ChunkTally.Mark(group, reader.ReadString(), InstanceFactsCodec.ReadStr(reader), reader.ReadString(), (Severity)reader.ReadByte()));
                }

                chunks.Add(new Chunk(fingerprint, ranges, findings, shared, tally));
            }

            return reader.ReadString() == "end" ? new CollectionState { Chunks = chunks } : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or ArgumentException or OverflowException or InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>A count read from the file, which cannot be more than the bytes left hold (a damaged file is not trusted with memory).</summary>
    private static int Count(BinaryReader reader, int bytesEach)
    {
        var count = reader.ReadInt32();
        if (count < 0 || (long)count * bytesEach > reader.BaseStream.Length - reader.BaseStream.Position)
        {
            throw new InvalidDataException("A count in the collection state is larger than the file.");
        }

        return count;
    }

    /// <summary>
    /// Replaces <paramref name="path"/> with this state, its group keys read from <paramref name="keys"/> (written aside, then
    /// renamed); the old file is removed if that fails.
    /// </summary>
    public void Save(string path, string validity, int checks, GroupKeySpill keys)
    {
        var temporary = path + ".tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            using (var writer = new BinaryWriter(stream, Encoding.UTF8))
            {
                writer.Write(Magic);
                writer.Write(validity);
                writer.Write(checks);
                writer.Write(Chunks.Count);
                foreach (var chunk in Chunks)
                {
                    writer.Write(chunk.Fingerprint);
                    for (var i = 0; i < checks; i++)
                    {
                        writer.Write(chunk.Keys[i].Count);
                        keys.CopyTo(chunk.Keys[i], writer);
                        writer.Write(chunk.Findings[i].Count);
                        foreach (var finding in chunk.Findings[i]) AuditFindingSpill.WriteFinding(writer, finding);
                    }

                    writer.Write(chunk.SharedUids.Count);
                    foreach (var uid in chunk.SharedUids) writer.Write(uid);
                    writer.Write(chunk.Tally.Groups.Count);
                    foreach (var group in chunk.Tally.Groups)
                    {
                        InstanceFactsCodec.Str(writer, group.PatientId);
                        InstanceFactsCodec.Str(writer, group.FolderPseudonym);
                        writer.Write(group.Path);
                        writer.Write(group.Files);
                        writer.Write(group.ErrorFiles);
                        writer.Write(group.Findings.Count);
                        foreach (var ((rule, severity), count) in group.Findings.OrderBy(f => f.Key.RuleId, StringComparer.Ordinal).ThenBy(f => f.Key.Severity))
                        {
                            writer.Write(rule);
                            writer.Write((byte)severity);
                            writer.Write(count);
                        }
                    }

                    writer.Write(chunk.Tally.Marks.Count);
                    foreach (var mark in chunk.Tally.Marks)
                    {
                        writer.Write(mark.Group);
                        writer.Write(mark.Path);
                        InstanceFactsCodec.Str(writer, mark.SopInstanceUid);
                        writer.Write(mark.RuleId);
                        writer.Write((byte)mark.Severity);
                    }
                }

                writer.Write("end");
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A state that could not be replaced is not left to describe a run it does not describe.
            File.Delete(temporary);
            File.Delete(path);
            throw;
        }
    }
}
