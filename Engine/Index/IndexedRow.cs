namespace Nccid.Batch.Index;

/// <summary>A row on its way through an indexed scan, with its index entry (null when it could not be encoded).</summary>
/// <typeparam name="TRow">The row type.</typeparam>
/// <param name="Row">The row (not yet decoded while a reused entry travels from the lister to a worker).</param>
/// <param name="Entry">The entry to record in the new index.</param>
/// <param name="Listed">The listed object, for a row without an entry: it still counts in its chunk, so the index's chunks stay the tables'.</param>
public readonly record struct IndexedRow<TRow>(TRow Row, ScanIndexEntry? Entry, Storage.StoredObject? Listed = null)
{
    /// <summary>Set when this stands for a whole chunk of unchanged rows (then <see cref="Row"/> and <see cref="Entry"/> are not).</summary>
    internal ReusedChunk<TRow>? Chunk { get; init; }
}
