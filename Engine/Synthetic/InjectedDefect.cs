using Nccid.Batch.Dicom;

namespace Nccid.Batch.Synthetic;

/// <summary>One defect applied to a data set, as the ledger records it.</summary>
internal readonly record struct InjectedDefect(SyntheticDefectKind Kind, DicomTag Tag, string Keyword, string Detail);
