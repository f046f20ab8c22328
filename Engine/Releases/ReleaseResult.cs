using Nccid.Batch.Audit;

namespace Nccid.Batch.Releases;

/// <summary>What a release run did.</summary>
/// <param name="ReleaseId">The release id.</param>
/// <param name="Directory">The published release folder, or null when nothing was published (gate failed).</param>
/// <param name="Audit">The audit's summary (gate, findings, quarantine).</param>
/// <param name="TableRows">Rows per table.</param>
/// <param name="Patients">Patients with a clinical record.</param>
/// <param name="Orphans">Orphan images and clinical records.</param>
public sealed record ReleaseResult(string ReleaseId, string? Directory, AuditSummary Audit, IReadOnlyDictionary<string, long> TableRows, int Patients, long Orphans)
{
    /// <summary>How long each phase took (clinical, audit, join, tables, manifest and documents, checks, verify, publish), in order.</summary>
    public IReadOnlyList<Pipeline.PhaseTime> Phases { get; init; } = [];

    /// <summary>What the release's scan took from its index and read again, and why; null when it ran without one.</summary>
    public Index.IndexReport? Index { get; init; }

    /// <summary>For an <c>s3://</c> output: what was uploaded and what was copied inside the bucket; null otherwise.</summary>
    public S3Publication? Publication { get; init; }

    /// <summary>True when the release was published.</summary>
    public bool Published => Directory is not null;

    /// <summary>A few lines for people.</summary>
    public string Describe()
    {
        var lines = new List<string> { Audit.Describe() };
        if (Index is not null) lines.Add(Index.Describe());
        if (Phases.Count > 0)
        {
            lines.Add("Phases: " + string.Join(", ", Phases.Select(p => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{p.Name} {p.Seconds:0.00} s"))) + ".");
        }

        if (Published)
        {
            lines.Add($"Release {ReleaseId} published in {Directory}");
            if (Publication is not null) lines.Add(Publication.Describe());
            lines.Add(string.Join(", ", TableRows.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{kv.Key} {kv.Value:N0}"))));
            lines.Add($"Manifest: {System.IO.Path.Combine(Directory!, ReleaseManifest.FileName)}; report: {System.IO.Path.Combine(Directory!, "report.html")}");
        }
        else
        {
            lines.Add($"Release {ReleaseId} NOT published: the gate failed. Nothing was written under releases/.");
        }

        return string.Join(Environment.NewLine, lines);
    }
}
