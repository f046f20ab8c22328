namespace Nccid.Batch.Dicom;

/// <summary>Facts about value representations from PS3.5 §6.2 and §7.1.2.</summary>
public static class DicomVRInfo
{
    /// <summary>Reads a VR from the two bytes of an explicit-VR element header.</summary>
    public static DicomVR FromBytes(byte first, byte second) => (DicomVR)((first << 8) | second);

    /// <summary>True when <paramref name="vr"/> is one of the standard's VRs.</summary>
    public static bool IsKnown(DicomVR vr) => vr switch
    {
        DicomVR.AE or DicomVR.AS or DicomVR.AT or DicomVR.CS or DicomVR.DA or DicomVR.DS or DicomVR.DT
            or DicomVR.FD or DicomVR.FL or DicomVR.IS or DicomVR.LO or DicomVR.LT or DicomVR.OB
            or DicomVR.OD or DicomVR.OF or DicomVR.OL or DicomVR.OV or DicomVR.OW or DicomVR.PN
            or DicomVR.SH or DicomVR.SL or DicomVR.SQ or DicomVR.SS or DicomVR.ST or DicomVR.SV
            or DicomVR.TM or DicomVR.UC or DicomVR.UI or DicomVR.UL or DicomVR.UN or DicomVR.UR
            or DicomVR.US or DicomVR.UT or DicomVR.UV => true,
        _ => false,
    };

    /// <summary>True when an explicit-VR element of this VR has 2 reserved bytes and a 32-bit length.</summary>
    public static bool HasLongLength(DicomVR vr) => vr switch
    {
        DicomVR.OB or DicomVR.OD or DicomVR.OF or DicomVR.OL or DicomVR.OV or DicomVR.OW or DicomVR.SQ
            or DicomVR.SV or DicomVR.UC or DicomVR.UN or DicomVR.UR or DicomVR.UT or DicomVR.UV => true,
        _ => false,
    };

    /// <summary>True for character-string VRs (values are text, padded with a space or NUL).</summary>
    public static bool IsString(DicomVR vr) => vr switch
    {
        DicomVR.AE or DicomVR.AS or DicomVR.CS or DicomVR.DA or DicomVR.DS or DicomVR.DT or DicomVR.IS
            or DicomVR.LO or DicomVR.LT or DicomVR.PN or DicomVR.SH or DicomVR.ST or DicomVR.TM
            or DicomVR.UC or DicomVR.UI or DicomVR.UR or DicomVR.UT => true,
        _ => false,
    };

    /// <summary>True for VRs whose text is decoded with the Specific Character Set (PS3.5 §6.1.2.3).</summary>
    public static bool UsesSpecificCharacterSet(DicomVR vr) => vr switch
    {
        DicomVR.LO or DicomVR.LT or DicomVR.PN or DicomVR.SH or DicomVR.ST or DicomVR.UC or DicomVR.UT => true,
        _ => false,
    };

    /// <summary>True for string VRs that hold one value only (backslash is not a delimiter).</summary>
    public static bool IsSingleValuedText(DicomVR vr) => vr is DicomVR.LT or DicomVR.ST or DicomVR.UT or DicomVR.UR;

    /// <summary>
    /// True for string VRs whose leading spaces are part of the value (PS3.5 Table 6.2-1: LT, ST, UT and UC; UR may
    /// not begin with one). Every string VR's trailing spaces are padding.
    /// </summary>
    public static bool KeepsLeadingSpaces(DicomVR vr) => vr is DicomVR.UC || IsSingleValuedText(vr);

    /// <summary>One value of a string element without its padding: trailing spaces and NULs, and leading spaces unless <see cref="KeepsLeadingSpaces"/>.</summary>
    public static ReadOnlySpan<T> TrimValue<T>(ReadOnlySpan<T> value, DicomVR vr, T space, T nul) where T : IEquatable<T>
    {
        var end = value.Length;
        while (end > 0 && (value[end - 1].Equals(space) || value[end - 1].Equals(nul))) end--;
        var start = 0;
        if (!KeepsLeadingSpaces(vr))
        {
            while (start < end && value[start].Equals(space)) start++;
        }

        return value[start..end];
    }

    /// <summary>The size of one binary value, or 0 for strings, sequences and byte streams.</summary>
    public static int BinaryValueSize(DicomVR vr) => vr switch
    {
        DicomVR.US or DicomVR.SS or DicomVR.OW => 2,
        DicomVR.UL or DicomVR.SL or DicomVR.FL or DicomVR.OF or DicomVR.OL or DicomVR.AT => 4,
        DicomVR.FD or DicomVR.OD or DicomVR.SV or DicomVR.UV or DicomVR.OV => 8,
        _ => 0,
    };

    /// <summary>The two-letter code, or "??" for an unknown VR.</summary>
    public static string ToCode(DicomVR vr)
    {
        var hi = (char)((ushort)vr >> 8);
        var lo = (char)((ushort)vr & 0xFF);
        return hi is >= 'A' and <= 'Z' && lo is >= 'A' and <= 'Z' ? string.Create(2, (hi, lo), static (s, p) => { s[0] = p.hi; s[1] = p.lo; }) : "??";
    }
}
