using Nccid.Batch.Dicom;
using Nccid.Batch.Pipeline;
using Nccid.Batch.Storage;

namespace Nccid.Batch.Audit;

/// <summary>Everything a per-instance rule may look at. Valid only during the check.</summary>
/// <param name="Object">The stored object.</param>
/// <param name="Header">The parsed header (meaningless when <paramref name="Result"/> is an error).</param>
/// <param name="Result">The outcome of the header read.</param>
/// <param name="Facts">The instance's facts (identity, geometry).</param>
/// <param name="ReferenceDate">"Today" for the run: dates after it are in the future. Fixed per run, so output is reproducible.</param>
public sealed record InstanceContext(StoredObject Object, DicomHeader Header, HeaderReadResult Result, InstanceFacts Facts, DateOnly ReferenceDate)
{
    /// <summary>True when the header was read.</summary>
    public bool Readable => Result.Status == DicomParseStatus.Complete;
}
