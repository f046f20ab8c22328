namespace Nccid.Batch.Audit;

/// <summary>
/// What a file's path says about its submission in the NCCID layouts: the warehouse
/// (<c>{training|validation}/{xray|ct|mri}/&lt;Pseudonym&gt;/...</c>) names the patient's pseudonym; the upload
/// drop zone (<c>raw-&lt;site&gt;/&lt;date&gt;/images/...</c>) names the site.
/// </summary>
public static class SubmissionLayout
{
    /// <summary>The pseudonym of the folder the file was submitted under, or null when the layout has none.</summary>
    public static string? FolderPseudonym(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var parts = path.Split('/');
        if (parts.Length >= 4 && parts[0] is "training" or "validation" && parts[1] is "xray" or "ct" or "mri") return parts[2];
        return null;
    }

    /// <summary>The upload site in the drop-zone layout (<c>raw-&lt;site&gt;/...</c>), or null.</summary>
    public static string? UploadSite(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!path.StartsWith("raw-", StringComparison.Ordinal)) return null;
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        return slash > 4 ? path[4..slash] : null;
    }
}
