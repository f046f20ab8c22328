namespace Nccid.Batch.Clinical;

/// <summary>Where one clinical record comes from, and what its path says about it.</summary>
/// <param name="RelativePath">Path relative to the root with '/' separators; for a CSV row, the file and ':line'.</param>
/// <param name="ExpectedPseudonym">The pseudonym the path names (folder or file-name prefix); null for CSV rows.</param>
/// <param name="FileDate">The date in the path (file name or upload folder); null when there is none.</param>
/// <param name="Status">positive (data_), negative (status_), or null when the path does not say.</param>
/// <param name="Split">training or validation, when the layout has the folder.</param>
/// <param name="Site">The upload site of a raw-&lt;site&gt; folder.</param>
/// <param name="NameKind">What the expected pseudonym was taken from, for messages: "folder name" or "file name".</param>
internal sealed record ClinicalSource(
    string RelativePath, string? ExpectedPseudonym, DateOnly? FileDate, string? Status, string? Split, string? Site, string NameKind);
