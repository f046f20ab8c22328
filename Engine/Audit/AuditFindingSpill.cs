using Nccid.Batch.Storage;

namespace Nccid.Batch.Audit;

/// <summary>
/// The collection rules' findings in the order they are written (path, rule, tag path, detail, each ordinal) and in
/// binary, so that the audit sorts them through an <see cref="ExternalSorter{T}"/>: a rule such as the duplicate or the
/// series checks can find something in every file. Rules are written by id and read back as the same objects.
/// </summary>
internal sealed class AuditFindingSpill : ISpillCodec<AuditFinding>
{
    private readonly Dictionary<string, AuditRule> _rules = new(StringComparer.Ordinal);
    private readonly Func<string, AuditRule?> _ruleOf;

    public AuditFindingSpill() => _ruleOf = id => _rules[id];

    /// <summary>The findings tables' order for the collection rules' findings.</summary>
    public static IComparer<AuditFinding> Order { get; } = Comparer<AuditFinding>.Create(static (a, b) =>
    {
        var c = string.CompareOrdinal(a.Path, b.Path);
        if (c == 0) c = string.CompareOrdinal(a.Rule.Id, b.Rule.Id);
        if (c == 0) c = string.CompareOrdinal(a.TagPath, b.TagPath);
        return c != 0 ? c : string.CompareOrdinal(a.Detail, b.Detail);
    });

    /// <inheritdoc />
    public void Write(BinaryWriter writer, AuditFinding item)
    {
        _rules.TryAdd(item.Rule.Id, item.Rule);
        WriteFinding(writer, item);
        InstanceFactsCodec.Str(writer, item.Centre);
    }

    /// <inheritdoc />
    public AuditFinding Read(BinaryReader reader) => ReadFinding(reader, _ruleOf)! with { Centre = InstanceFactsCodec.ReadStr(reader) };

    /// <summary>Writes a finding's rule id, severity, path, SOP Instance UID, tag path and detail (not its centre).</summary>
    internal static void WriteFinding(BinaryWriter writer, AuditFinding item)
    {
        writer.Write(item.Rule.Id);
        writer.Write((byte)item.Severity);
        writer.Write(item.Path);
        InstanceFactsCodec.Str(writer, item.SopInstanceUid);
        writer.Write(item.TagPath);
        writer.Write(item.Detail);
    }

    /// <summary>Reads what <see cref="WriteFinding"/> wrote; null when <paramref name="ruleOf"/> does not know the rule (the rest is then unread).</summary>
    internal static AuditFinding? ReadFinding(BinaryReader reader, Func<string, AuditRule?> ruleOf)
    {
        if (ruleOf(reader.ReadString()) is not { } rule) return null;
        var severity = (Severity)reader.ReadByte();
        return new AuditFinding(rule, severity, reader.ReadString(), InstanceFactsCodec.ReadStr(reader), reader.ReadString(), reader.ReadString());
    }
}
