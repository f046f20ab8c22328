namespace Nccid.Batch.Releases;

/// <summary>What <see cref="PhiGuard"/> found in one part file (or a table's parts, added up). Counts only, never values.</summary>
/// <param name="Tags">Per removed tag, how many header_json values hold it; null when header_json was not looked at.</param>
/// <param name="Columns">Per guarded column, its values (0 for a column the part lacks).</param>
internal sealed record PartContents(Dictionary<uint, long>? Tags, Dictionary<string, long> Columns);
