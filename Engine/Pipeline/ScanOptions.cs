using Nccid.Batch.Dicom;

namespace Nccid.Batch.Pipeline;

/// <summary>How a scan runs: parallelism, read sizes and the header reader's limits. Immutable and validated.</summary>
public sealed record ScanOptions
{
    /// <summary>Files read and parsed at once. Reads are latency-bound, so this may exceed the core count.</summary>
    public int Parallelism { get; init; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>Bytes of the first read of each file.</summary>
    public int InitialReadBytes { get; init; } = 64 << 10;

    /// <summary>How many files may be between listing and writing at once; bounds the memory of reordering.</summary>
    public int Window { get; init; } = 4096;

    /// <summary>
    /// File-name patterns (<c>*</c> and <c>?</c> wildcards, e.g. <c>*.dcm</c>) of the objects to scan; empty scans
    /// everything. Objects left out are counted in <see cref="ScanProgress.Excluded"/>, never dropped silently.
    /// </summary>
    public IReadOnlyList<string> IncludeNames { get; init; } = [];

    /// <summary>The header reader's stop tag and limits.</summary>
    public DicomReadOptions Read { get; init; } = DicomReadOptions.Default;

    /// <summary>Returns every problem with these options at once, or an empty list.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>(Read.Validate());
        if (Parallelism is < 1 or > 1024) errors.Add($"Parallelism must be between 1 and 1024 (is {Parallelism}).");
        if (InitialReadBytes < 1024 || InitialReadBytes > Read.MaxHeaderBytes) errors.Add($"InitialReadBytes must be between 1024 and MaxHeaderBytes (is {InitialReadBytes}).");
        if (Window < Parallelism * 2) errors.Add($"Window must be at least twice the parallelism (is {Window}).");
        return errors;
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem, when there are any.</summary>
    public ScanOptions Validated()
    {
        var errors = Validate();
        if (errors.Count > 0) throw new ArgumentException("Invalid scan options: " + string.Join(" ", errors));
        return this;
    }
}
