namespace Nccid.Batch.Tables;

/// <summary>A part file as its output's manifest describes it.</summary>
/// <param name="Sha256">The SHA-256 of the file, lower-case hex.</param>
/// <param name="Bytes">The file's size.</param>
public readonly record struct PublishedPart(string Sha256, long Bytes);
