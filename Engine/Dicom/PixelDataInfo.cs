namespace Nccid.Batch.Dicom;

/// <summary>Where the pixel data (or other stop element) starts, read from its element header only.</summary>
/// <param name="Tag">The tag at which reading stopped (normally Pixel Data, 7FE0,0010).</param>
/// <param name="VR">Its VR (OB or OW), or <see cref="DicomVR.None"/> when implicit and unknown.</param>
/// <param name="Length">Declared length, or null when undefined (encapsulated).</param>
/// <param name="ValueOffset">Offset of its value in the file, or -1 in a deflated data set, where offsets are not file offsets.</param>
public readonly record struct PixelDataInfo(uint Tag, DicomVR VR, uint? Length, long ValueOffset)
{
    /// <summary>True when the pixel data is encapsulated (undefined length: fragments follow).</summary>
    public bool IsEncapsulated => Length is null;
}
