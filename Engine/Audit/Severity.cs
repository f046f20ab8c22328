namespace Nccid.Batch.Audit;

/// <summary>How serious a finding is; profiles gate releases on these.</summary>
public enum Severity
{
    /// <summary>Worth knowing; never blocks.</summary>
    Info,

    /// <summary>Likely a problem; reviewed by a person.</summary>
    Warning,

    /// <summary>The data is wrong or unusable as it stands.</summary>
    Error,

    /// <summary>Must not be released (for example an identifier in the data).</summary>
    Critical,
}
