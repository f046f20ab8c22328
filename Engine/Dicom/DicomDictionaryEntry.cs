namespace Nccid.Batch.Dicom;

/// <summary>
/// One attribute of the standard's data dictionary (PS3.6 Section 6). A repeating-group or element-range
/// attribute such as OverlayData (60xx,3000) is one entry whose <see cref="Mask"/> leaves the varying
/// bits out: a tag <c>t</c> belongs to it when <c>(t &amp; Mask) == Tag</c>.
/// </summary>
/// <param name="Tag">The tag, or for a masked entry the tag with the varying bits cleared.</param>
/// <param name="Mask">The bits of a tag that must equal <paramref name="Tag"/>; <c>0xFFFFFFFF</c> for an exact tag.</param>
/// <param name="VR">The value representation, or the first of two the standard permits (e.g. OB for "OB or OW").</param>
/// <param name="AlternateVR">The second permitted VR (OW for "OB or OW"), or <see cref="DicomVR.None"/>.</param>
/// <param name="VM">The value multiplicity as the standard writes it, e.g. "1", "1-n", "2-2n".</param>
/// <param name="Keyword">The standard's keyword, e.g. "PatientID".</param>
/// <param name="Retired">True when the standard has retired the attribute.</param>
public readonly record struct DicomDictionaryEntry(
    uint Tag, uint Mask, DicomVR VR, DicomVR AlternateVR, string VM, string Keyword, bool Retired)
{
    /// <summary>True when the entry stands for a single tag rather than a range.</summary>
    public bool IsExact => Mask == uint.MaxValue;

    /// <summary>True when <paramref name="tag"/> is this entry's tag or falls in its range.</summary>
    public bool Matches(uint tag) => (tag & Mask) == Tag;
}
