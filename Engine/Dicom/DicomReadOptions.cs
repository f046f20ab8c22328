namespace Nccid.Batch.Dicom;

/// <summary>Limits and the stop point of a header read. Immutable; validated on construction.</summary>
public sealed record DicomReadOptions
{
    /// <summary>The defaults: stop before Pixel Data, 64 levels of nesting, 64 MiB of header.</summary>
    public static readonly DicomReadOptions Default = new();

    /// <summary>Reading stops before the first top-level element whose tag is this or greater (default Pixel Data).</summary>
    public uint StopTag { get; init; } = 0x7FE00010;

    /// <summary>The largest <see cref="MaxDepth"/> allowed.</summary>
    public const int MaxDepthLimit = 1024;

    /// <summary>Maximum nesting of sequences and items (each sequence and each item is one level).</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>Maximum number of elements, items included, recorded for one file.</summary>
    public int MaxElements { get; init; } = 1_000_000;

    /// <summary>Maximum number of header bytes read (or inflated) for one file.</summary>
    public int MaxHeaderBytes { get; init; } = 64 << 20;

    /// <summary>Returns every problem with these options at once, or an empty list.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxDepth is < 2 or > MaxDepthLimit) errors.Add($"MaxDepth must be between 2 and {MaxDepthLimit} (is {MaxDepth}).");
        if (MaxElements < 16) errors.Add($"MaxElements must be at least 16 (is {MaxElements}).");
        if (MaxHeaderBytes < 4096) errors.Add($"MaxHeaderBytes must be at least 4096 (is {MaxHeaderBytes}).");
        if (StopTag <= 0x0002FFFF) errors.Add("StopTag must be after the file meta group (0002,xxxx).");
        return errors;
    }
}
