namespace Nccid.Batch.Audit.Quality;

/// <summary>The image IODs the module tables cover, as flags so one table row can serve several.</summary>
[Flags]
internal enum ImagingKinds : byte
{
    /// <summary>No IOD.</summary>
    None = 0,

    /// <summary>Computed Radiography Image IOD (PS3.3 A.2).</summary>
    CR = 1,

    /// <summary>Digital X-Ray Image IOD (PS3.3 A.26).</summary>
    DX = 2,

    /// <summary>CT Image IOD (PS3.3 A.3).</summary>
    CT = 4,

    /// <summary>MR Image IOD (PS3.3 A.4).</summary>
    MR = 8,

    /// <summary>An instance whose IOD is none of the above (modules common to every composite IOD still apply).</summary>
    Other = 16,

    /// <summary>The four image IODs.</summary>
    Images = CR | DX | CT | MR,

    /// <summary>Every composite instance.</summary>
    Any = Images | Other,
}
