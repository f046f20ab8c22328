namespace Nccid.Batch.Tables;

/// <summary>Counts of one submitting centre in an audit.</summary>
public sealed class AuditSummaryRow
{
    /// <summary>The submitting centre (or the upload site), "unknown" when the layout does not say.</summary>
    public string Centre { get; set; } = string.Empty;

    /// <summary>Files scanned.</summary>
    public long Files { get; set; }

    /// <summary>Files that could not be read as DICOM.</summary>
    public long ErrorFiles { get; set; }

    /// <summary>Quality findings.</summary>
    public long QualityFindings { get; set; }

    /// <summary>De-identification findings.</summary>
    public long DeidFindings { get; set; }

    /// <summary>Findings that block the release under the profile's gate.</summary>
    public long BlockingFindings { get; set; }

    /// <summary>Instances quarantined.</summary>
    public long Quarantined { get; set; }
}
