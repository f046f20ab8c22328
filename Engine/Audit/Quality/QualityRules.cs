namespace Nccid.Batch.Audit.Quality;

/// <summary>
/// The catalogue of quality rules. Ids are stable: profiles, findings tables and reports refer to them, so a
/// rule may be reworded or re-graded but never renumbered.
/// </summary>
public static class QualityRules
{
    private const RuleCategory Q = RuleCategory.Quality;

    /// <summary>Not a DICOM file.</summary>
    public static readonly AuditRule NotDicom = new("Q-FILE-001", Q, Severity.Error, RuleScope.File,
        "The file is not DICOM: no DICM prefix and no recognisable data set.", "PS3.10 Section 7.1");

    /// <summary>The file ends before its content does.</summary>
    public static readonly AuditRule Truncated = new("Q-FILE-002", Q, Severity.Error, RuleScope.File,
        "The file is truncated: it ends inside an element, a sequence or the pixel data.", "PS3.5 Section 7.1; PS3.10 Section 7.1");

    /// <summary>Structurally broken data set.</summary>
    public static readonly AuditRule MalformedStructure = new("Q-FILE-003", Q, Severity.Error, RuleScope.File,
        "The data set is malformed: an impossible length, item structure, file meta group or deflate stream.", "PS3.5 Sections 7.1 and 7.5; PS3.10 Section 7.1");

    /// <summary>Header beyond the reader's configured limits.</summary>
    public static readonly AuditRule ReaderLimitExceeded = new("Q-FILE-004", Q, Severity.Error, RuleScope.File,
        "The header exceeds the reader's limits (size, nesting depth or number of elements) and was not read.", "PS3.5 Section 7.5");

    /// <summary>The storage layer could not read the object.</summary>
    public static readonly AuditRule Unreadable = new("Q-FILE-005", Q, Severity.Error, RuleScope.File,
        "The file could not be read from storage (permission, broken link, vanished file).", "PS3.10 Section 7");

    /// <summary>The engine failed on the file.</summary>
    public static readonly AuditRule InternalFailure = new("Q-FILE-006", Q, Severity.Error, RuleScope.File,
        "The engine failed on this file; the failure is recorded so the run continues.", "PS3.10 Section 7.1");

    /// <summary>No preamble and DICM prefix.</summary>
    public static readonly AuditRule MissingPreamble = new("Q-FILE-007", Q, Severity.Warning, RuleScope.File,
        "The file has no 128-byte preamble and DICM prefix.", "PS3.10 Section 7.1");

    /// <summary>No file meta information group.</summary>
    public static readonly AuditRule MissingFileMeta = new("Q-FILE-008", Q, Severity.Warning, RuleScope.File,
        "The file has no file meta information group (0002,xxxx).", "PS3.10 Section 7.1");

    /// <summary>File meta without Transfer Syntax UID.</summary>
    public static readonly AuditRule MissingTransferSyntax = new("Q-FILE-009", Q, Severity.Error, RuleScope.File,
        "The file meta information has no Transfer Syntax UID (0002,0010); the encoding was guessed.", "PS3.10 Table 7.1-1");

    /// <summary>MediaStorageSOPInstanceUID differs from SOPInstanceUID.</summary>
    public static readonly AuditRule MetaInstanceUidMismatch = new("Q-FILE-010", Q, Severity.Error, RuleScope.File,
        "Media Storage SOP Instance UID (0002,0003) differs from SOP Instance UID (0008,0018).", "PS3.10 Table 7.1-1");

    /// <summary>MediaStorageSOPClassUID differs from SOPClassUID.</summary>
    public static readonly AuditRule MetaClassUidMismatch = new("Q-FILE-011", Q, Severity.Error, RuleScope.File,
        "Media Storage SOP Class UID (0002,0002) differs from SOP Class UID (0008,0016).", "PS3.10 Table 7.1-1");

    /// <summary>Transfer syntax not in the registry.</summary>
    public static readonly AuditRule UnknownTransferSyntax = new("Q-FILE-012", Q, Severity.Error, RuleScope.File,
        "The Transfer Syntax UID is not a registered transfer syntax; the encoding was guessed.", "PS3.6 Annex A; PS3.5 Section 10");

    /// <summary>Data set encoded otherwise than declared.</summary>
    public static readonly AuditRule TransferSyntaxMismatch = new("Q-FILE-013", Q, Severity.Error, RuleScope.File,
        "The data set is encoded differently (implicit/explicit VR, byte order) from its declared transfer syntax.", "PS3.5 Section 10; PS3.10 Section 7.1");

    /// <summary>Retired transfer syntax.</summary>
    public static readonly AuditRule RetiredTransferSyntax = new("Q-FILE-014", Q, Severity.Info, RuleScope.File,
        "The transfer syntax is retired (for example Explicit VR Big Endian).", "PS3.5 Annex A; PS3.6 Annex A");

    /// <summary>Type 1 attribute missing or empty.</summary>
    public static readonly AuditRule Type1Missing = new("Q-ATTR-001", Q, Severity.Error, RuleScope.Instance,
        "A Type 1 attribute of a mandatory module is missing or empty.", "PS3.5 Section 7.4.1; PS3.3 Annex A and C (modules of the CR, DX, CT and MR IODs)");

    /// <summary>Type 2 attribute missing.</summary>
    public static readonly AuditRule Type2Missing = new("Q-ATTR-002", Q, Severity.Warning, RuleScope.Instance,
        "A Type 2 attribute of a mandatory module is missing (it must be present, if empty).", "PS3.5 Section 7.4.3; PS3.3 Annex A and C (modules of the CR, DX, CT and MR IODs)");

    /// <summary>Modality contradicts the SOP Class.</summary>
    public static readonly AuditRule ModalityMismatch = new("Q-ATTR-003", Q, Severity.Warning, RuleScope.Instance,
        "Modality (0008,0060) does not match the SOP Class (e.g. a CR Image Storage instance with Modality DX).", "PS3.3 Sections C.8.1.1, C.8.11.1, C.8.2.1.1.1 and C.8.3.1.1.1");

    /// <summary>CT without Pixel Spacing.</summary>
    public static readonly AuditRule CtPixelSpacingMissing = new("Q-ATTR-004", Q, Severity.Error, RuleScope.Instance,
        "A CT image has no Pixel Spacing (0028,0030): distances cannot be measured.", "PS3.3 Table C.7-10 (Image Plane Module)");

    /// <summary>DA syntax.</summary>
    public static readonly AuditRule InvalidDate = new("Q-VR-001", Q, Severity.Warning, RuleScope.Instance,
        "A DA value is not a valid date in the form YYYYMMDD.", "PS3.5 Table 6.2-1 (DA)");

    /// <summary>TM syntax.</summary>
    public static readonly AuditRule InvalidTime = new("Q-VR-002", Q, Severity.Warning, RuleScope.Instance,
        "A TM value is not a valid time in the form HH[MM[SS[.FFFFFF]]].", "PS3.5 Table 6.2-1 (TM)");

    /// <summary>DT syntax.</summary>
    public static readonly AuditRule InvalidDateTime = new("Q-VR-003", Q, Severity.Warning, RuleScope.Instance,
        "A DT value is not a valid date-time in the form YYYY[MM[DD[HH[MM[SS[.FFFFFF]]]]]][&ZZXX].", "PS3.5 Table 6.2-1 (DT)");

    /// <summary>AS syntax.</summary>
    public static readonly AuditRule InvalidAge = new("Q-VR-004", Q, Severity.Warning, RuleScope.Instance,
        "An AS value is not an age in the form nnnD, nnnW, nnnM or nnnY.", "PS3.5 Table 6.2-1 (AS)");

    /// <summary>UI syntax.</summary>
    public static readonly AuditRule InvalidUid = new("Q-VR-005", Q, Severity.Error, RuleScope.Instance,
        "A UI value is not a valid UID: digits and dots, no empty or zero-led components, at most 64 characters.", "PS3.5 Section 9.1; Table 6.2-1 (UI)");

    /// <summary>DS syntax.</summary>
    public static readonly AuditRule InvalidDecimal = new("Q-VR-006", Q, Severity.Warning, RuleScope.Instance,
        "A DS value is not a decimal number of at most 16 characters.", "PS3.5 Table 6.2-1 (DS)");

    /// <summary>IS syntax.</summary>
    public static readonly AuditRule InvalidInteger = new("Q-VR-007", Q, Severity.Warning, RuleScope.Instance,
        "An IS value is not an integer in the range -2^31 to 2^31-1 of at most 12 characters.", "PS3.5 Table 6.2-1 (IS)");

    /// <summary>CS syntax.</summary>
    public static readonly AuditRule InvalidCodeString = new("Q-VR-008", Q, Severity.Warning, RuleScope.Instance,
        "A CS value has characters other than A-Z, 0-9, space and underscore, or more than 16 characters.", "PS3.5 Table 6.2-1 (CS)");

    /// <summary>PN structure.</summary>
    public static readonly AuditRule InvalidPersonName = new("Q-VR-009", Q, Severity.Warning, RuleScope.Instance,
        "A PN value has more than three component groups or more than five components in a group.", "PS3.5 Section 6.2.1");

    /// <summary>Value too long for its VR.</summary>
    public static readonly AuditRule ValueTooLong = new("Q-VR-010", Q, Severity.Warning, RuleScope.Instance,
        "A value is longer than its VR allows (AE and SH 16, LO 64, PN 64 per component group, ST 1024, LT 10240 characters).", "PS3.5 Table 6.2-1");

    /// <summary>Control characters in text.</summary>
    public static readonly AuditRule InvalidTextCharacters = new("Q-VR-011", Q, Severity.Warning, RuleScope.Instance,
        "A text value holds control characters its VR does not allow.", "PS3.5 Section 6.1.3; Table 6.2-1");

    /// <summary>Value multiplicity outside the dictionary's.</summary>
    public static readonly AuditRule InvalidMultiplicity = new("Q-VR-012", Q, Severity.Warning, RuleScope.Instance,
        "The number of values differs from the attribute's value multiplicity in the data dictionary.", "PS3.5 Section 6.4; PS3.6 Section 6");

    /// <summary>Binary value of the wrong length.</summary>
    public static readonly AuditRule InvalidBinaryLength = new("Q-VR-013", Q, Severity.Error, RuleScope.Instance,
        "A binary value's length is not a multiple of its VR's value size (2 for US, 4 for UL, 8 for FD...).", "PS3.5 Table 6.2-1");

    /// <summary>Date after the run's reference date.</summary>
    public static readonly AuditRule FutureDate = new("Q-DATE-001", Q, Severity.Warning, RuleScope.Instance,
        "A date lies after the run's reference date.", "PS3.5 Table 6.2-1 (DA, DT)");

    /// <summary>Date before 1900.</summary>
    public static readonly AuditRule AncientDate = new("Q-DATE-002", Q, Severity.Warning, RuleScope.Instance,
        "A date lies before 1900: a placeholder, not a real date.", "PS3.5 Table 6.2-1 (DA, DT)");

    /// <summary>BitsStored greater than BitsAllocated.</summary>
    public static readonly AuditRule BitsStoredExceedsAllocated = new("Q-PIXEL-001", Q, Severity.Error, RuleScope.Instance,
        "Bits Stored (0028,0101) is greater than Bits Allocated (0028,0100).", "PS3.3 Section C.7.6.3.1");

    /// <summary>HighBit not BitsStored - 1.</summary>
    public static readonly AuditRule HighBitMismatch = new("Q-PIXEL-002", Q, Severity.Warning, RuleScope.Instance,
        "High Bit (0028,0102) is not Bits Stored (0028,0101) minus one.", "PS3.3 Section C.7.6.3.1; PS3.5 Section 8.1.1");

    /// <summary>Zero rows or columns.</summary>
    public static readonly AuditRule EmptyImageMatrix = new("Q-PIXEL-003", Q, Severity.Error, RuleScope.Instance,
        "Rows (0028,0010) or Columns (0028,0011) is zero.", "PS3.3 Section C.7.6.3");

    /// <summary>Native pixel data of the wrong length.</summary>
    public static readonly AuditRule PixelDataLengthMismatch = new("Q-PIXEL-004", Q, Severity.Error, RuleScope.Instance,
        "Native Pixel Data length differs from Rows x Columns x Samples per Pixel x Bits Allocated / 8 x Number of Frames.", "PS3.5 Section 8.1.1; PS3.3 Section C.7.6.3");

    /// <summary>Series with several modalities.</summary>
    public static readonly AuditRule SeriesMixedModalities = new("Q-SERIES-001", Q, Severity.Warning, RuleScope.Series,
        "The instances of one series have different Modality values.", "PS3.3 Section C.7.3.1 (General Series Module)");

    /// <summary>Series with several SOP classes.</summary>
    public static readonly AuditRule SeriesMixedSopClasses = new("Q-SERIES-002", Q, Severity.Warning, RuleScope.Series,
        "The instances of one series have different SOP Class UIDs.", "PS3.3 Section A.1.2.3 (Series IE)");

    /// <summary>Duplicate InstanceNumber within a series.</summary>
    public static readonly AuditRule SeriesDuplicateInstanceNumber = new("Q-SERIES-003", Q, Severity.Warning, RuleScope.Series,
        "Two instances of one series share an Instance Number (0020,0013).", "PS3.3 Section C.7.6.1 (General Image Module)");

    /// <summary>Missing InstanceNumber within a series.</summary>
    public static readonly AuditRule SeriesMissingInstanceNumber = new("Q-SERIES-004", Q, Severity.Warning, RuleScope.Series,
        "An instance of a multi-instance series has no Instance Number (0020,0013): the order of images is unknown.", "PS3.3 Section C.7.6.1 (General Image Module)");

    /// <summary>CT slices not evenly spaced.</summary>
    public static readonly AuditRule SeriesUnevenSliceSpacing = new("Q-SERIES-005", Q, Severity.Warning, RuleScope.Series,
        "CT slice positions along the slice normal are not evenly spaced (a gap differs from the median beyond the profile's tolerance).", "PS3.3 Section C.7.6.2.1.1 (Image Position and Orientation)");

    /// <summary>Slice spacing differs from SliceThickness.</summary>
    public static readonly AuditRule SeriesSpacingThicknessMismatch = new("Q-SERIES-006", Q, Severity.Info, RuleScope.Series,
        "The median CT slice spacing differs from Slice Thickness (0018,0050): gaps or overlapping slices.", "PS3.3 Section C.7.6.2 (Image Plane Module)");

    /// <summary>FrameOfReferenceUID differs within a series.</summary>
    public static readonly AuditRule SeriesInconsistentFrameOfReference = new("Q-SERIES-007", Q, Severity.Warning, RuleScope.Series,
        "The instances of one series have different Frame of Reference UIDs (0020,0052).", "PS3.3 Section C.7.4.1 (Frame of Reference Module)");

    /// <summary>Orientation differs within a series.</summary>
    public static readonly AuditRule SeriesInconsistentOrientation = new("Q-SERIES-008", Q, Severity.Warning, RuleScope.Series,
        "The instances of one series have different Image Orientation (Patient) (0020,0037).", "PS3.3 Section C.7.6.2.1.1");

    /// <summary>One study under several patients.</summary>
    public static readonly AuditRule StudyUnderSeveralPatients = new("Q-STUDY-001", Q, Severity.Error, RuleScope.Study,
        "One Study Instance UID appears under more than one Patient ID.", "PS3.3 Section A.1.2.2 (Study IE)");

    /// <summary>PatientID differs from the folder's pseudonym.</summary>
    public static readonly AuditRule PatientIdFolderMismatch = new("Q-PATIENT-001", Q, Severity.Error, RuleScope.Patient,
        "Patient ID (0010,0020) differs from the pseudonym of the folder the file was submitted under.", "NCCID submission guidance; PS3.3 Section C.7.1.1");

    /// <summary>Conflicting PatientSex.</summary>
    public static readonly AuditRule PatientSexConflict = new("Q-PATIENT-002", Q, Severity.Warning, RuleScope.Patient,
        "One patient's studies disagree on Patient's Sex (0010,0040).", "PS3.3 Section C.7.1.1 (Patient Module)");

    /// <summary>Conflicting birth year or age.</summary>
    public static readonly AuditRule PatientAgeConflict = new("Q-PATIENT-003", Q, Severity.Warning, RuleScope.Patient,
        "One patient's studies disagree on the birth year, from Patient's Birth Date (0010,0030) or from Patient's Age (0010,1010) at the study date.", "PS3.3 Sections C.7.1.1 and C.7.2.2");

    /// <summary>Byte-identical duplicate.</summary>
    public static readonly AuditRule DuplicateIdenticalFile = new("Q-DUP-001", Q, Severity.Warning, RuleScope.Release,
        "The same SOP Instance UID is in two or more files with identical bytes: a duplicate copy.", "PS3.3 Section C.12.1.1.1 (SOP Instance UID)");

    /// <summary>Same UID, different content.</summary>
    public static readonly AuditRule DuplicateConflictingContent = new("Q-DUP-002", Q, Severity.Error, RuleScope.Release,
        "The same SOP Instance UID is in files with different content: one UID for two different instances.", "PS3.3 Section C.12.1.1.1; PS3.5 Section 9.1");
}
