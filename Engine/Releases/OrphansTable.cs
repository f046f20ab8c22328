using Nccid.Batch.Tables;

namespace Nccid.Batch.Releases;

/// <summary>The <c>orphans</c> table.</summary>
public static class OrphansTable
{
    /// <summary>The schema.</summary>
    public static TableSchema<OrphanRow> Schema { get; } = new TableSchemaBuilder<OrphanRow>("orphans",
            "Images whose patient has no clinical record (kind 'image'), and clinical records with no images (kind 'clinical'), " +
            "with how long they have waited, so that none is retried forever unnoticed. Sorted by kind, pseudonym, path.")
        .RequiredString("kind", "image or clinical", r => r.Kind)
        .RequiredString("pseudonym", "Patient pseudonym", r => r.Pseudonym)
        .RequiredString("path", "The image file, or the clinical record file", r => r.Path)
        .Int32("age_days", "Days between the file's last modification and the release date", r => r.AgeDays)
        .Build();
}
