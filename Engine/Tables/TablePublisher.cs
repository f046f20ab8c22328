namespace Nccid.Batch.Tables;

/// <summary>Publishes finished table folders from a staging folder by rename, replacing earlier versions.</summary>
public static class TablePublisher
{
    /// <summary>A new hidden staging folder inside <paramref name="outputDirectory"/> (same file system, so renames are atomic).</summary>
    public static string CreateStaging(string outputDirectory, string purpose)
    {
        Directory.CreateDirectory(outputDirectory);
        var staging = Path.Combine(outputDirectory, ".staging-" + purpose + "-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(staging);
        return staging;
    }

    /// <summary>Moves <c>staging/table</c> to <c>output/table</c> for each table; each table switches in one rename.</summary>
    public static void Publish(string staging, string outputDirectory, IEnumerable<string> tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        foreach (var table in tables)
        {
            var final = Path.Combine(outputDirectory, table);
            string? old = null;
            if (Directory.Exists(final))
            {
                old = final + ".old-" + Guid.NewGuid().ToString("N");
                Directory.Move(final, old);
            }

            Directory.Move(Path.Combine(staging, table), final);
            if (old is not null) Directory.Delete(old, recursive: true);
        }
    }
}
