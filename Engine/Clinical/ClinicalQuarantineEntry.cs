namespace Nccid.Batch.Clinical;

/// <summary>A clinical file (or CSV row) that could not be cleaned at all, with the reasons.</summary>
/// <param name="Path">The file, or the CSV file and ':line', relative to the clinical root.</param>
/// <param name="Pseudonym">The pseudonym the path or record names, when there is one.</param>
/// <param name="Reasons">Why it was left out; each reason names a class of problem, not a value.</param>
public sealed record ClinicalQuarantineEntry(string Path, string? Pseudonym, IReadOnlyList<string> Reasons);
