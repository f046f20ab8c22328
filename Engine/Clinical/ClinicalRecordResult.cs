namespace Nccid.Batch.Clinical;

/// <summary>The outcome of cleaning one clinical file or CSV row: a record with its changes, or a quarantine entry.</summary>
public sealed class ClinicalRecordResult
{
    internal ClinicalRecordResult(PatientRecord? record, IReadOnlyList<CleaningChange> changes, ClinicalQuarantineEntry? quarantine)
    {
        Record = record;
        Changes = changes;
        Quarantine = quarantine;
    }

    /// <summary>The cleaned record; null when quarantined.</summary>
    public PatientRecord? Record { get; }

    /// <summary>The changes made (empty when quarantined).</summary>
    public IReadOnlyList<CleaningChange> Changes { get; }

    /// <summary>Why the record could not be cleaned; null when it was.</summary>
    public ClinicalQuarantineEntry? Quarantine { get; }
}
