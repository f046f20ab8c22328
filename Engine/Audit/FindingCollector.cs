namespace Nccid.Batch.Audit;

/// <summary>
/// Collects the findings of one instance (or of the collection rules), applying the profile's switches and
/// severities. One per worker; not thread-safe.
/// </summary>
/// <param name="profile">The profile in force.</param>
/// <param name="onFinding">Receives each finding instead of <see cref="Findings"/> (the collection rules' findings go to a sort).</param>
public sealed class FindingCollector(AuditProfile profile, Action<AuditFinding>? onFinding = null)
{
    private readonly List<AuditFinding> _findings = [];

    /// <summary>The profile in force.</summary>
    public AuditProfile Profile { get; } = profile;

    /// <summary>The path findings are reported against until the next <see cref="Begin"/>.</summary>
    public string Path { get; private set; } = string.Empty;

    /// <summary>The SOP Instance UID findings are reported against.</summary>
    public string? SopInstanceUid { get; private set; }

    /// <summary>Findings so far.</summary>
    public IReadOnlyList<AuditFinding> Findings => _findings;

    /// <summary>Starts a new instance: clears the findings.</summary>
    public void Begin(string path, string? sopInstanceUid)
    {
        Path = path;
        SopInstanceUid = sopInstanceUid;
        _findings.Clear();
    }

    /// <summary>Reports a finding for the current instance. <paramref name="detail"/> must never hold an identifier.</summary>
    public void Report(AuditRule rule, string tagPath, string detail) => Report(rule, Path, SopInstanceUid, tagPath, detail);

    /// <summary>Reports a finding for any instance (collection rules).</summary>
    public void Report(AuditRule rule, string path, string? sopInstanceUid, string tagPath, string detail)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (!Profile.TryResolve(rule, out var severity)) return;
        Add(new AuditFinding(rule, severity, path, sopInstanceUid, tagPath, detail));
    }

    /// <summary>Reports a finding for the instance <paramref name="at"/> describes (collection rules), counted under its centre.</summary>
    public void Report(AuditRule rule, InstanceFacts at, string tagPath, string detail)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(at);
        if (!Profile.TryResolve(rule, out var severity)) return;
        Add(new AuditFinding(rule, severity, at.Path, at.SopInstanceUid, tagPath, detail) { Centre = at.Centre });
    }

    private void Add(AuditFinding finding)
    {
        if (onFinding is not null) onFinding(finding);
        else _findings.Add(finding);
    }

    /// <summary>Copies the findings out and clears them.</summary>
    public AuditFinding[] Drain()
    {
        var result = _findings.ToArray();
        _findings.Clear();
        return result;
    }
}
