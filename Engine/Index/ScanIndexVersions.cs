namespace Nccid.Batch.Index;

/// <summary>Versions recorded in every scan index; an index made under other versions is not reused.</summary>
public static class ScanIndexVersions
{
    /// <summary>
    /// The parser and projection version. Bump it whenever parsing, projection or redaction changes what a row
    /// holds for the same bytes: every index made before is then re-parsed in full, once.
    /// </summary>
    public const int Parser = 3;

    /// <summary>
    /// The audit rules version. Bump it when a rule's logic changes without its catalogue entry changing (the
    /// catalogue and the profile are hashed into the index already): every file is then re-audited.
    /// </summary>
    public const int Rules = 6;

    /// <summary>The layout of the index itself (segments and header).</summary>
    public const int Format = 8;
}
