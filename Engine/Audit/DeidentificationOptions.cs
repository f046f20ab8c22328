namespace Nccid.Batch.Audit;

/// <summary>
/// The PS3.15 Annex E options a release claims (Table E.1-1 columns), and the local settings of the
/// de-identification audit. With every option off the Basic Profile applies in its strictest reading.
/// </summary>
public sealed record DeidentificationOptions
{
    /// <summary>Retain Longitudinal Temporal Information with Full Dates Option.</summary>
    public bool RetainFullDates { get; init; }

    /// <summary>Retain Longitudinal Temporal Information with Modified Dates Option.</summary>
    public bool RetainModifiedDates { get; init; }

    /// <summary>Retain Patient Characteristics Option.</summary>
    public bool RetainPatientCharacteristics { get; init; }

    /// <summary>Retain Device Identity Option.</summary>
    public bool RetainDeviceIdentity { get; init; }

    /// <summary>Retain Institution Identity Option.</summary>
    public bool RetainInstitutionIdentity { get; init; }

    /// <summary>Retain Safe Private Option: private elements of <see cref="SafePrivateCreators"/> may stay.</summary>
    public bool RetainSafePrivate { get; init; }

    /// <summary>Clean Descriptors Option: descriptions may stay once cleaned (they are still searched for identifiers).</summary>
    public bool CleanDescriptors { get; init; }

    /// <summary>Attributes kept whatever the table says (keywords), e.g. StudyDate under the NCCID profile.</summary>
    public IReadOnlyList<string> KeepAttributes { get; init; } = [];

    /// <summary>When true, PatientBirthDate may stay only as 1 January of the birth year (YYYY0101).</summary>
    public bool BirthDateAsFirstOfJanuary { get; init; }

    /// <summary>UID roots that must not appear (a hospital's original root, for instance).</summary>
    public IReadOnlyList<string> DeniedUidRoots { get; init; } = [];

    /// <summary>Private creators whose elements are safe to keep under <see cref="RetainSafePrivate"/>.</summary>
    public IReadOnlyList<string> SafePrivateCreators { get; init; } = [];

    /// <summary>
    /// A regular expression for local hospital numbers (medical record numbers) written without a cue, or null; numbers
    /// after a cue ("MRN", "Hospital No", "Unit No") are found either way.
    /// </summary>
    public string? HospitalNumberPattern { get; init; }

    /// <summary>Person names to search for in free text (e.g. staff lists), matched case-insensitively as words, also family name first.</summary>
    public IReadOnlyList<string> Names { get; init; } = [];
}
