namespace Nccid.Batch.Storage;

/// <summary>Writes one record to a run file of an <see cref="ExternalSorter{T}"/> and reads it back.</summary>
/// <typeparam name="T">The record.</typeparam>
public interface ISpillCodec<T>
{
    /// <summary>Writes <paramref name="item"/>.</summary>
    void Write(BinaryWriter writer, T item);

    /// <summary>Reads what <see cref="Write"/> wrote.</summary>
    T Read(BinaryReader reader);
}
