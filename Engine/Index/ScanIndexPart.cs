namespace Nccid.Batch.Index;

/// <summary>One file of an index generation.</summary>
/// <param name="Name">File name under <c>entries/</c>.</param>
/// <param name="Xxh128">XXH128 of its bytes, lower-case hex (see <see cref="Storage.FileHashes.Xxh128Async"/>).</param>
/// <param name="Bytes">Size in bytes.</param>
public sealed record ScanIndexPart(string Name, string Xxh128, long Bytes);
