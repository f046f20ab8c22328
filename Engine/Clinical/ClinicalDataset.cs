namespace Nccid.Batch.Clinical;

/// <summary>Everything read from a clinical root: one record per patient, the changes made, and what was left out.</summary>
public sealed class ClinicalDataset
{
    internal ClinicalDataset(
        IReadOnlyList<PatientRecord> patients, IReadOnlyList<CleaningChange> changes, IReadOnlyList<ClinicalQuarantineEntry> quarantine, int filesRead)
    {
        Patients = patients;
        Changes = changes;
        Quarantine = quarantine;
        FilesRead = filesRead;
    }

    /// <summary>One record per patient, sorted by pseudonym (ordinal).</summary>
    public IReadOnlyList<PatientRecord> Patients { get; }

    /// <summary>The changes made to the records in <see cref="Patients"/>, in patient order.</summary>
    public IReadOnlyList<CleaningChange> Changes { get; }

    /// <summary>Files and CSV rows that could not be cleaned, sorted by path.</summary>
    public IReadOnlyList<ClinicalQuarantineEntry> Quarantine { get; }

    /// <summary>Files opened and read (JSON records and CSV files).</summary>
    public int FilesRead { get; }
}
