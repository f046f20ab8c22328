using System.Globalization;

namespace Nccid.Batch.Clinical;

/// <summary>
/// What a clinical file's path says: the warehouse layout
/// <c>{training|validation}/data/&lt;Pseudonym&gt;/{data|status}_YYYY-MM-DD.json</c> and the upload layout
/// <c>raw-&lt;site&gt;/&lt;YYYY-MM-DD&gt;/data/&lt;Pseudonym&gt;_{data|status}.json</c>.
/// </summary>
internal static class ClinicalPaths
{
    public static readonly string[] Splits = ["training", "validation"];

    /// <summary>Describes a JSON record's path relative to the root ('/' separators), or says why it cannot.</summary>
    public static bool TryDescribe(string relativePath, out ClinicalSource source, out string reason)
    {
        source = null!;
        reason = string.Empty;
        var parts = relativePath.Split('/');
        if (parts.Length == 4 && Array.IndexOf(Splits, parts[0]) >= 0 && parts[1] == "data")
        {
            var name = parts[3];
            var status = name.StartsWith("data_", StringComparison.Ordinal) ? "positive"
                : name.StartsWith("status_", StringComparison.Ordinal) ? "negative" : null;
            var stamp = status is null ? string.Empty : name[(name.IndexOf('_', StringComparison.Ordinal) + 1)..];
            if (status is null || !stamp.EndsWith(".json", StringComparison.Ordinal) || !TryDate(stamp[..^5], out var date))
            {
                reason = "the file name is not data_YYYY-MM-DD.json or status_YYYY-MM-DD.json with a real date";
                return false;
            }

            source = new ClinicalSource(relativePath, parts[2], date, status, Splits[Array.IndexOf(Splits, parts[0])], null, "folder name");
            return true;
        }

        if (parts.Length == 4 && parts[0].StartsWith("raw-", StringComparison.Ordinal) && parts[2] == "data")
        {
            if (!TryDate(parts[1], out var date))
            {
                reason = "the upload folder name is not a real YYYY-MM-DD date";
                return false;
            }

            var name = parts[3];
            var status = name.EndsWith("_data.json", StringComparison.Ordinal) ? "positive"
                : name.EndsWith("_status.json", StringComparison.Ordinal) ? "negative" : null;
            var pseudonym = status is null ? string.Empty : name[..name.LastIndexOf('_')];
            if (status is null || pseudonym.Length == 0)
            {
                reason = "the file name is not <Pseudonym>_data.json or <Pseudonym>_status.json";
                return false;
            }

            source = new ClinicalSource(relativePath, pseudonym, date, status, null, parts[0]["raw-".Length..], "file name");
            return true;
        }

        reason = "the path follows neither the warehouse nor the upload layout";
        return false;
    }

    /// <summary>The date a CSV export carries: a YYYY-MM-DD in its file name, else its upload folder's date.</summary>
    public static DateOnly? CsvDate(string relativePath)
    {
        var parts = relativePath.Split('/');
        var name = Path.GetFileNameWithoutExtension(parts[^1]);
        for (var i = name.Length - 10; i >= 0; i--)
        {
            if (TryDate(name.Substring(i, 10), out var inName))
            {
                return inName;
            }
        }

        return parts.Length == 4 && parts[0].StartsWith("raw-", StringComparison.Ordinal) && TryDate(parts[1], out var folder) ? folder : null;
    }

    /// <summary>The split a CSV export's folder says, if any.</summary>
    public static string? CsvSplit(string relativePath)
    {
        var parts = relativePath.Split('/');
        return parts.Length == 3 && Array.IndexOf(Splits, parts[0]) >= 0 && parts[1] == "data" ? parts[0] : null;
    }

    /// <summary>The upload site a CSV export's folder says, if any.</summary>
    public static string? CsvSite(string relativePath)
    {
        var parts = relativePath.Split('/');
        return parts.Length == 4 && parts[0].StartsWith("raw-", StringComparison.Ordinal) ? parts[0]["raw-".Length..] : null;
    }

    public static string Relative(string root, string fullPath) => Path.GetRelativePath(root, fullPath).Replace('\\', '/');

    private static bool TryDate(string text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
}
