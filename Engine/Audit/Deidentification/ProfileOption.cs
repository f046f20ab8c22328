namespace Nccid.Batch.Audit.Deidentification;

/// <summary>The option columns of PS3.15 Table E.1-1, in the order of the data file.</summary>
internal enum ProfileOption
{
    RetainSafePrivate,
    RetainUids,
    RetainDeviceIdentity,
    RetainInstitutionIdentity,
    RetainPatientCharacteristics,
    RetainLongFullDates,
    RetainLongModifiedDates,
    CleanDescriptors,
    CleanStructuredContent,
    CleanGraphics,
}
