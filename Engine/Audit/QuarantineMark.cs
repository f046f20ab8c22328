using Nccid.Batch.Storage;

namespace Nccid.Batch.Audit;

/// <summary>
/// One finding that quarantines its instance, as the audit sorts them by path (on disk past a budget) to write one
/// quarantine row per path: a row per quarantined file would otherwise be held until the audit ends.
/// </summary>
/// <param name="Path">The instance's path.</param>
/// <param name="SopInstanceUid">The SOP Instance UID the finding names, when known.</param>
/// <param name="RuleId">The rule.</param>
/// <param name="Severity">The finding's severity.</param>
/// <param name="Centre">The centre the instance is counted under.</param>
internal sealed record QuarantineMark(string Path, string? SopInstanceUid, string RuleId, Severity Severity, string Centre)
{
    /// <summary>By path, ordinal: the quarantine table's order (ties keep the order the findings came in).</summary>
    public static IComparer<QuarantineMark> ByPath { get; } = Comparer<QuarantineMark>.Create(static (a, b) => string.CompareOrdinal(a.Path, b.Path));

    /// <summary>Writes and reads a mark in a run file.</summary>
    public static ISpillCodec<QuarantineMark> Codec { get; } = new MarkCodec();

    private sealed class MarkCodec : ISpillCodec<QuarantineMark>
    {
        public void Write(BinaryWriter writer, QuarantineMark item)
        {
            writer.Write(item.Path);
            InstanceFactsCodec.Str(writer, item.SopInstanceUid);
            writer.Write(item.RuleId);
            writer.Write((byte)item.Severity);
            writer.Write(item.Centre);
        }

        public QuarantineMark Read(BinaryReader reader) =>
            new(reader.ReadString(), InstanceFactsCodec.ReadStr(reader), reader.ReadString(), (Severity)reader.ReadByte(), reader.ReadString());
    }
}
