namespace Nccid.Batch.Synthetic;

/// <summary>The three image families of the collection, each with its own warehouse folder.</summary>
internal enum SyntheticImagingKind
{
    Xray,
    Ct,
    Mri,
}
