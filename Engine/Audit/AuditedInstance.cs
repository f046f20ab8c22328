using Nccid.Batch.Tables;

namespace Nccid.Batch.Audit;

/// <summary>
/// One scanned and audited file: its instances row, its facts for the collection rules, and its findings. A file
/// taken from a scan index may carry its row unread (<see cref="Row"/> loads it on first use), as a release needs
/// the rows of changed chunks only.
/// </summary>
public sealed class AuditedInstance
{
    private Func<InstanceRow>? _load;
    private InstanceRow? _row;
    private Func<(InstanceFacts Facts, AuditFinding[] Findings)>? _decode;
    private InstanceFacts? _facts;
    private AuditFinding[]? _findings;

    /// <summary>An instance with its row.</summary>
    /// <param name="row">The instances row.</param>
    /// <param name="facts">Facts for rules that span files.</param>
    /// <param name="findings">Findings of the per-instance rules.</param>
    public AuditedInstance(InstanceRow row, InstanceFacts facts, AuditFinding[] findings)
    {
        ArgumentNullException.ThrowIfNull(row);
        _row = row;
        _facts = facts;
        _findings = findings;
        Key = row.Path;
        Size = row.SizeBytes;
        ModifiedTicks = row.ModifiedUtc.Ticks;
    }

    /// <summary>An instance whose row is loaded by <paramref name="load"/> when first asked for.</summary>
    /// <param name="load">Loads the row (called at most once, on the thread that first reads <see cref="Row"/>).</param>
    /// <param name="key">The object's key (the row's path).</param>
    /// <param name="size">Its size.</param>
    /// <param name="modifiedTicks">Its modification time.</param>
    /// <param name="facts">Facts for rules that span files.</param>
    /// <param name="findings">Findings of the per-instance rules.</param>
    public AuditedInstance(Func<InstanceRow> load, string key, long size, long modifiedTicks, InstanceFacts facts, AuditFinding[] findings)
    {
        _load = load;
        Key = key;
        Size = size;
        ModifiedTicks = modifiedTicks;
        _facts = facts;
        _findings = findings;
    }

    /// <summary>
    /// An instance whose row, facts and findings are decoded when first asked for: a release keeps most chunks whole
    /// and never needs them (see <see cref="AuditSink"/>).
    /// </summary>
    /// <param name="load">Loads the row (called at most once, on the thread that first reads <see cref="Row"/>).</param>
    /// <param name="key">The object's key (the row's path).</param>
    /// <param name="size">Its size.</param>
    /// <param name="modifiedTicks">Its modification time.</param>
    /// <param name="decode">Decodes the facts and findings (called at most once, on the thread that first reads either).</param>
    public AuditedInstance(Func<InstanceRow> load, string key, long size, long modifiedTicks, Func<(InstanceFacts Facts, AuditFinding[] Findings)> decode)
    {
        _load = load;
        Key = key;
        Size = size;
        ModifiedTicks = modifiedTicks;
        _decode = decode;
    }

    /// <summary>The instances row.</summary>
    public InstanceRow Row
    {
        get
        {
            if (_row is null)
            {
                _row = _load!();
                _load = null;
            }

            return _row;
        }
    }

    /// <summary>The object's key (the row's path).</summary>
    public string Key { get; }

    /// <summary>The object's size.</summary>
    public long Size { get; }

    /// <summary>The object's modification time (UTC ticks).</summary>
    public long ModifiedTicks { get; }

    /// <summary>Facts for rules that span files.</summary>
    public InstanceFacts Facts
    {
        get
        {
            Decode();
            return _facts!;
        }
    }

    /// <summary>Findings of the per-instance rules.</summary>
    public AuditFinding[] Findings
    {
        get
        {
            Decode();
            return _findings!;
        }
    }

    /// <summary>Decodes the facts and findings now, if they wait (so that several instances can be decoded side by side).</summary>
    public void Decode()
    {
        if (_decode is null) return;
        (_facts, _findings) = _decode();
        _decode = null;
    }

    /// <summary>True when the instance was taken unchanged from a scan index rather than read (see <see cref="PartChunker"/>).</summary>
    public bool FromIndex { get; init; }
}
