namespace Nccid.Batch.Releases;

/// <summary>
/// A release split into shards, as written to <c>plan.json</c> in the release's shared staging area: everything a host
/// needs to run any shard or to assemble the release, so that every host builds the same bytes.
/// </summary>
public sealed record ReleaseShardPlan
{
    /// <summary>The file name of the plan in the staging area.</summary>
    public const string FileName = "plan.json";

    /// <summary>The job, with its paths resolved.</summary>
    public required ReleaseJob Job { get; init; }

    /// <summary>SHA-256 of the job file, for the manifest.</summary>
    public required string JobSha256 { get; init; }

    /// <summary>The release's date (release id, future-date rules, orphan ages).</summary>
    public required DateOnly ReleaseDate { get; init; }

    /// <summary>The release's time, written in the manifest.</summary>
    public required DateTimeOffset CreatedUtc { get; init; }

    /// <summary>The engine's version, for the manifest.</summary>
    public required string EngineVersion { get; init; }

    /// <summary>Objects the shards read: every included object of the source, but those the scan index holds unchanged.</summary>
    public required long Objects { get; init; }

    /// <summary>Included objects the scan index holds unchanged: the assembly takes their rows from it.</summary>
    public long Unchanged { get; init; }

    /// <summary>The shards, numbered from 0.</summary>
    public required IReadOnlyList<ReleaseShard> Shards { get; init; }

    /// <summary>What the shards read and what the scan index holds unchanged, in a few words.</summary>
    public string Describe() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{Objects:N0} files to read in {Shards.Count:N0} shards, {Unchanged:N0} unchanged taken from the scan index");
}
