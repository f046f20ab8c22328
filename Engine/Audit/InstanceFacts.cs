namespace Nccid.Batch.Audit;

/// <summary>
/// The few attributes of one instance that rules spanning several files need (series geometry, identity,
/// duplicates), kept compact because the collection rules keep or sort one per instance until the end of the run.
/// </summary>
public sealed class InstanceFacts
{
    private string? _folderPseudonym;
    private string? _sopClassUid;
    private string? _modality;
    private string? _patientId;
    private string? _patientSex;
    private string? _studyInstanceUid;
    private string? _seriesInstanceUid;
    private string? _frameOfReferenceUid;

    /// <summary>The file's path, as in the instances table.</summary>
    public required string Path { get; init; }

    /// <summary>File size in bytes.</summary>
    public long Size { get; init; }

    /// <summary>True when the header could be read.</summary>
    public bool Readable { get; init; }

    /// <summary>The patient pseudonym implied by the folder the file was submitted under, when the layout has one.</summary>
    public string? FolderPseudonym { get => _folderPseudonym; init => _folderPseudonym = value; }

    /// <summary>(0008,0018).</summary>
    public string? SopInstanceUid { get; init; }

    /// <summary>(0008,0016).</summary>
    public string? SopClassUid { get => _sopClassUid; init => _sopClassUid = value; }

    /// <summary>(0008,0060).</summary>
    public string? Modality { get => _modality; init => _modality = value; }

    /// <summary>(0010,0020).</summary>
    public string? PatientId { get => _patientId; init => _patientId = value; }

    /// <summary>(0010,0040).</summary>
    public string? PatientSex { get => _patientSex; init => _patientSex = value; }

    /// <summary>(0010,0030) year, when present and valid.</summary>
    public int? BirthYear { get; init; }

    /// <summary>(0010,1010) in years, when present and valid.</summary>
    public int? AgeYears { get; init; }

    /// <summary>(0008,0020).</summary>
    public DateOnly? StudyDate { get; init; }

    /// <summary>(0020,000D).</summary>
    public string? StudyInstanceUid { get => _studyInstanceUid; init => _studyInstanceUid = value; }

    /// <summary>(0020,000E).</summary>
    public string? SeriesInstanceUid { get => _seriesInstanceUid; init => _seriesInstanceUid = value; }

    /// <summary>(0020,0052).</summary>
    public string? FrameOfReferenceUid { get => _frameOfReferenceUid; init => _frameOfReferenceUid = value; }

    /// <summary>(0020,0013).</summary>
    public int? InstanceNumber { get; init; }

    /// <summary>(0020,0032), three values, or null.</summary>
    public double[]? ImagePositionPatient { get; init; }

    /// <summary>(0020,0037), six values, or null.</summary>
    public double[]? ImageOrientationPatient { get; init; }

    /// <summary>(0018,0050).</summary>
    public double? SliceThickness { get; init; }

    /// <summary>SHA-256 of the header bytes read, to tell duplicate copies from conflicting content cheaply.</summary>
    public byte[]? HeaderHash { get; init; }

    /// <summary>
    /// The submitting centre the audit counts the instance under, set by the audit as the instance arrives (not kept in
    /// the scan index), so findings of the collection rules are counted without a map from every path to its centre.
    /// </summary>
    internal string? Centre { get; set; }

    /// <summary>
    /// Replaces the values that many instances repeat (study, series and frame UIDs, patient, modality, class, sex)
    /// with the pool's copy, so a run that keeps every instance's facts for the collection rules keeps each such value once.
    /// </summary>
    internal void ShareStrings(StringPool pool)
    {
        _folderPseudonym = pool.Share(_folderPseudonym);
        _sopClassUid = pool.Share(_sopClassUid);
        _modality = pool.Share(_modality);
        _patientId = pool.Share(_patientId);
        _patientSex = pool.Share(_patientSex);
        _studyInstanceUid = pool.Share(_studyInstanceUid);
        _seriesInstanceUid = pool.Share(_seriesInstanceUid);
        _frameOfReferenceUid = pool.Share(_frameOfReferenceUid);
    }
}
