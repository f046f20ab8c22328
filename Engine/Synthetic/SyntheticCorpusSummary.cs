namespace Nccid.Batch.Synthetic;

/// <summary>What <see cref="SyntheticCorpusGenerator.Generate"/> wrote.</summary>
/// <param name="FilesWritten">Every file except the ledger: DICOM, clinical JSON and non-DICOM decoys.</param>
/// <param name="DicomFiles">Files meant to be DICOM, including truncated, malformed and duplicate ones.</param>
/// <param name="ClinicalFiles">Clinical JSON files.</param>
/// <param name="BytesWritten">Total size of the files counted in <paramref name="FilesWritten"/>.</param>
/// <param name="DefectsByKind">Ledger entries per injected defect kind (every kind present, zero when none).</param>
/// <param name="ClinicalValueEntries">Ledger entries of kind <c>clinical_value</c> (messy clinical values with their clean truth).</param>
public sealed record SyntheticCorpusSummary(
    long FilesWritten,
    long DicomFiles,
    long ClinicalFiles,
    long BytesWritten,
    IReadOnlyDictionary<SyntheticDefectKind, int> DefectsByKind,
    long ClinicalValueEntries);
