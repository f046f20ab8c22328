namespace Nccid.Batch.Synthetic;

/// <summary>The defects the generator injects; each is written to the ground-truth ledger under the name given.</summary>
public enum SyntheticDefectKind
{
    /// <summary><c>identifier_in_tag</c>: a fake name, NHS-like number, address or birth date in an identifying attribute.</summary>
    IdentifierInTag,

    /// <summary><c>identifier_in_free_text</c>: a fake identifier inside StudyDescription, ImageComments or a private LO.</summary>
    IdentifierInFreeText,

    /// <summary><c>missing_attribute</c>: a required attribute (SOPInstanceUID, Modality, StudyInstanceUID, StudyDate) is absent.</summary>
    MissingAttribute,

    /// <summary><c>malformed_attribute</c>: a value that breaks its VR (a DA "2020-13-45", a UI with letters, a DS "abc").</summary>
    MalformedAttribute,

    /// <summary><c>duplicate_sop_instance_uid</c>: a second file reuses another file's SOPInstanceUID.</summary>
    DuplicateSopInstanceUid,

    /// <summary><c>truncated</c>: the file is cut inside its header or inside its pixel data.</summary>
    Truncated,

    /// <summary><c>not_dicom</c>: a text or JPEG file with a .dcm name.</summary>
    NotDicom,
}
