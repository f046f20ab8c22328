namespace Nccid.Batch.Index;

/// <summary>One segment of an index generation: a chunk of the listing, in order.</summary>
/// <param name="Fingerprint">The chunk's fingerprint (its keys, sizes and modification times; see <see cref="Tables.PartChunker"/>).</param>
/// <param name="Meta">Its meta file under <c>entries/</c>.</param>
/// <param name="Rows">Its rows file under <c>entries/</c>.</param>
/// <param name="Entries">Entries in it.</param>
public sealed record ScanIndexChunk(string Fingerprint, string Meta, string Rows, long Entries);
