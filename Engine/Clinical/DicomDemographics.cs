namespace Nccid.Batch.Clinical;

/// <summary>Fills demographics the clinical record lacks from the patient's DICOM headers.</summary>
public static class DicomDemographics
{
    /// <summary>
    /// Sets <see cref="PatientRecord.Sex"/> when it is null from (0010,0040) Patient's Sex (M, F; O and anything else
    /// give U), and <see cref="PatientRecord.Age"/> when it is null from (0010,1010) Patient's Age in years, with
    /// <see cref="PatientRecord.AgeSource"/> "dicom". Values the clinical record has, including an explicit
    /// unknown sex, are never replaced.
    /// </summary>
    public static void FillFromDicom(PatientRecord record, string? patientSex, int? patientAgeYears)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Sex is null && !string.IsNullOrWhiteSpace(patientSex))
        {
            record.Sex = patientSex.Trim().ToUpperInvariant() switch
            {
                "M" => "M",
                "F" => "F",
                _ => "U",
            };
        }

        if (record.Age is null && patientAgeYears is { } age and >= 0)
        {
            record.Age = age;
            record.AgeSource = "dicom";
        }
    }
}
