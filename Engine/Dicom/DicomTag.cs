namespace Nccid.Batch.Dicom;

/// <summary>A DICOM attribute tag (group, element) packed as <c>group &lt;&lt; 16 | element</c>.</summary>
public readonly record struct DicomTag(uint Value) : IComparable<DicomTag>
{
    /// <summary>Creates a tag from its group and element numbers.</summary>
    public DicomTag(ushort group, ushort element) : this(((uint)group << 16) | element) { }

    /// <summary>The group number.</summary>
    public ushort Group => (ushort)(Value >> 16);

    /// <summary>The element number.</summary>
    public ushort Element => (ushort)Value;

    /// <summary>True for odd groups other than 1, 3, 5, 7 and FFFF (PS3.5 §7.8).</summary>
    public bool IsPrivate => (Group & 1) == 1 && Group > 7 && Group != 0xFFFF;

    /// <summary>True for a private creator element (gggg,0010-00FF) of a private group.</summary>
    public bool IsPrivateCreator => IsPrivate && Element is >= 0x0010 and <= 0x00FF;

    /// <inheritdoc />
    public int CompareTo(DicomTag other) => Value.CompareTo(other.Value);

    /// <summary>Formats as <c>(GGGG,EEEE)</c> in upper-case hexadecimal.</summary>
    public override string ToString() => $"({Group:X4},{Element:X4})";

    /// <summary>Formats as the eight hexadecimal digits the DICOM JSON model uses.</summary>
    public string ToJsonKey() => Value.ToString("X8", System.Globalization.CultureInfo.InvariantCulture);
}
