namespace Nccid.Batch.Dicom;

/// <summary>One UID of the standard's registry (PS3.6 Annex A).</summary>
/// <param name="Uid">The UID, e.g. "1.2.840.10008.1.2.1".</param>
/// <param name="Name">The UID's name, e.g. "Explicit VR Little Endian".</param>
/// <param name="Type">The kind of UID as the standard names it, e.g. "Transfer Syntax" or "SOP Class".</param>
/// <param name="Retired">True when the standard has retired the UID.</param>
/// <param name="Keyword">The standard's keyword, e.g. "ExplicitVRLittleEndian" (empty for a few retired UIDs).</param>
public readonly record struct DicomUidEntry(string Uid, string Name, string Type, bool Retired, string Keyword);
