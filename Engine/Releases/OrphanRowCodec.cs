using Nccid.Batch.Audit;
using Nccid.Batch.Storage;

namespace Nccid.Batch.Releases;

/// <summary>
/// Orphan rows in the <c>orphans</c> table's order (kind, pseudonym, path) and in binary, so that the release sorts
/// them through an <see cref="ExternalSorter{T}"/>: an image orphan is a row per file.
/// </summary>
internal sealed class OrphanRowCodec : ISpillCodec<OrphanRow>
{
    /// <summary>The codec.</summary>
    public static OrphanRowCodec Instance { get; } = new();

    /// <summary>The table's order: kind, then pseudonym, then path, each ordinal.</summary>
    public static IComparer<OrphanRow> Order { get; } = Comparer<OrphanRow>.Create((a, b) =>
    {
        var c = string.CompareOrdinal(a.Kind, b.Kind);
        if (c == 0) c = string.CompareOrdinal(a.Pseudonym, b.Pseudonym);
        return c != 0 ? c : string.CompareOrdinal(a.Path, b.Path);
    });

    /// <inheritdoc />
    public void Write(BinaryWriter writer, OrphanRow item)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(item);
        writer.Write(item.Kind);
        writer.Write(item.Pseudonym);
        writer.Write(item.Path);
        InstanceFactsCodec.Int(writer, item.AgeDays);
    }

    /// <inheritdoc />
    public OrphanRow Read(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return new OrphanRow { Kind = reader.ReadString(), Pseudonym = reader.ReadString(), Path = reader.ReadString(), AgeDays = InstanceFactsCodec.ReadInt(reader) };
    }
}
