namespace Nccid.Batch.Releases;

/// <summary>
/// A release job as written in <c>jobs/*.json</c>: where the data is, where the release goes, how it is audited,
/// split and gated. Paths are resolved against the job file's folder. Immutable; see <see cref="ReleaseJobLoader"/>.
/// </summary>
public sealed record ReleaseJob
{
    /// <summary>The job's name (letters, digits, '-', '_').</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>release, audit or scan.</summary>
    public string Kind { get; init; } = "release";

    /// <summary>When the job runs (used by the host); null or manual-only when absent.</summary>
    public JobSchedule? Schedule { get; init; }

    /// <summary>The folder of DICOM files.</summary>
    public string Source { get; init; } = string.Empty;

    /// <summary>The S3 Inventory report that lists an <c>s3://</c> source (null: ListObjectsV2).</summary>
    public InventorySource? Inventory { get; init; }

    /// <summary>The folder of clinical records (defaults to <see cref="Source"/>).</summary>
    public string? ClinicalSource { get; init; }

    /// <summary>
    /// The output folder, or for release jobs an <c>s3://bucket/prefix</c> location; releases go to
    /// <c>&lt;output&gt;/releases/&lt;release-id&gt;/</c>.
    /// </summary>
    public string Output { get; init; } = string.Empty;

    /// <summary>
    /// For an <c>s3://</c> output: a local folder kept between runs, holding the scan index, what the collection rules and
    /// the join kept, and the latest release, so that the next release reads only the files that changed and takes the
    /// unchanged parts over. Null: each release to an <c>s3://</c> output is built in a temporary folder and reads every file.
    /// Either way, table parts the bucket's latest release already holds are copied inside the bucket, not uploaded.
    /// </summary>
    public string? WorkDirectory { get; init; }

    /// <summary>File-name patterns of the DICOM files (others are counted, not scanned).</summary>
    public IReadOnlyList<string> Include { get; init; } = ["*.dcm"];

    /// <summary>Audit profile: basic, nccid or a profile file (relative to the job file).</summary>
    public string AuditProfile { get; init; } = "nccid";

    /// <summary>How patients are split into training and validation.</summary>
    public SplitPolicy Split { get; init; } = new();

    /// <summary>Release id pattern: <c>{date}</c> (yyyy-MM-dd of the run, UTC) and <c>{name}</c> are replaced.</summary>
    public string ReleaseId { get; init; } = "{name}-{date}";

    /// <summary>flag (default): images outside their collection window are marked; exclude: they are quarantined.</summary>
    public string CollectionWindows { get; init; } = "flag";

    /// <summary>Counts below this are suppressed in summaries and charts (statistical disclosure control).</summary>
    public int DisclosureThreshold { get; init; } = 7;

    /// <summary>Files read at once (0: the default, four per core).</summary>
    public int Parallelism { get; init; }

    /// <summary>Whether the instances table carries header_json.</summary>
    public bool HeaderJson { get; init; } = true;

    /// <summary>Times the host retries a failed run.</summary>
    public int Retries { get; init; }

    /// <summary>
    /// What a release does with objects that cannot be read (a storage fault that outlasts the retries, a file that
    /// cannot be opened): <c>errorRow</c> (default) keeps each as an error row of the instances table, counted in the
    /// manifest and summary.json; <c>fail</c> fails the run and publishes nothing.
    /// </summary>
    public string OnReadError { get; init; } = "errorRow";

    /// <summary>
    /// DICOM attributes (by keyword) that the release may carry in its tables although the audit profile requires
    /// removing them; without this, the release fails before publishing when any table holds one.
    /// </summary>
    public IReadOnlyList<string> AllowAttributes { get; init; } = [];

    /// <summary>Where to say that a run finished: webhook URLs (http/https) or file drops (file paths).</summary>
    public IReadOnlyList<string> Notifications { get; init; } = [];
}
