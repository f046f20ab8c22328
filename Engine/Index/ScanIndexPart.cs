namespace Nccid.Batch.Index;

/// <summary>One file of an index generation.</summary>
/// <param name="Name">File name under <c>entries/</c>.</param>
/// <param name="Sha256">SHA-256, lower-case hex.</param>
/// <param name="Bytes">Size in bytes.</param>
public sealed record ScanIndexPart(string Name, string Sha256, long Bytes);
