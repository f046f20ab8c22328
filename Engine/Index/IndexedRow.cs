namespace Nccid.Batch.Index;

/// <summary>A row on its way through an indexed scan, with its index entry (null when it could not be encoded).</summary>
/// <typeparam name="TRow">The row type.</typeparam>
/// <param name="Row">The row (not yet decoded while a reused entry travels from the lister to a worker).</param>
/// <param name="Entry">The entry to record in the new index.</param>
public readonly record struct IndexedRow<TRow>(TRow Row, ScanIndexEntry? Entry);
