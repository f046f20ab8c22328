using System.Globalization;

namespace Nccid.Batch.Clinical;

/// <summary>How <see cref="ClinicalLoader.Load"/> reads a clinical root.</summary>
public sealed record ClinicalLoadOptions
{
    /// <summary>The defaults.</summary>
    public static ClinicalLoadOptions Default { get; } = new();

    /// <summary>
    /// Read CSV exports found in the data folders (<c>{training|validation}/data/*.csv</c>,
    /// <c>raw-&lt;site&gt;/&lt;date&gt;/data/*.csv</c>) and at the top of the root.
    /// </summary>
    public bool ReadCsv { get; init; } = true;

    /// <summary>More CSV files to read, absolute or relative to the root.</summary>
    public IReadOnlyList<string> CsvFiles { get; init; } = [];

    /// <summary>
    /// How many days after its file's date a clinical date may lie before it is rejected as impossible. Records are
    /// sometimes completed after the file's date stamp, so this is not zero; a date years ahead is a typo.
    /// </summary>
    public int FutureDateToleranceDays { get; init; } = 366;

    /// <summary>Latest plausible date for records whose file has no date (CSV without a date); null for no bound.</summary>
    public DateOnly? LatestDateWithoutFileDate { get; init; }

    /// <summary>Every validation failure (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (FutureDateToleranceDays is < 0 or > 3660)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"FutureDateToleranceDays must be between 0 and 3660, got {FutureDateToleranceDays}."));
        }

        if (CsvFiles is null)
        {
            errors.Add("CsvFiles must not be null.");
        }
        else
        {
            foreach (var file in CsvFiles)
            {
                if (string.IsNullOrWhiteSpace(file))
                {
                    errors.Add("CsvFiles must not contain an empty path.");
                }
            }
        }

        return errors;
    }
}
