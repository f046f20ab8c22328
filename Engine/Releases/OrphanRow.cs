namespace Nccid.Batch.Releases;

/// <summary>An image whose patient has no clinical record, or a clinical record with no images.</summary>
public sealed class OrphanRow
{
#pragma warning disable CS1591 // Documented by the column descriptions in OrphansTable.
    public string Kind { get; set; } = string.Empty;
    public string Pseudonym { get; set; } = string.Empty;
    public string Path { get; set; } = string.Empty;
    public int? AgeDays { get; set; }
#pragma warning restore CS1591
}
