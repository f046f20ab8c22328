namespace Nccid.Batch.Index;

/// <summary>The header of one index generation (<c>index.json</c>): what made it and its segments with their checksums.</summary>
/// <param name="Format">The index layout version.</param>
/// <param name="Kind">"scan" or "audit".</param>
/// <param name="Source">The scanned root.</param>
/// <param name="ParserVersion">The parser version of the run that wrote it.</param>
/// <param name="ScanSettings">Hash of the scan settings.</param>
/// <param name="Rules">Hash of the audit profile and catalogue, or null.</param>
/// <param name="ReferenceDate">The audit's reference date, or null.</param>
/// <param name="Entries">Entries over all segments.</param>
/// <param name="Parts">Every file under <c>entries/</c>: name, XXH128 and size.</param>
/// <param name="Segments">The segments in listing order, each a chunk of the listing with its two files.</param>
/// <param name="LastRun">What the run that wrote it reused and parsed.</param>
public sealed record ScanIndexHeader(
    int Format, string Kind, string Source, int ParserVersion, string ScanSettings, string? Rules, DateOnly? ReferenceDate,
    long Entries, IReadOnlyList<ScanIndexPart> Parts, IReadOnlyList<ScanIndexChunk> Segments, IndexReport? LastRun);
