namespace Nccid.Batch.Benchmarks;

/// <summary>A reference header and the encoding it is written in.</summary>
public enum ReferenceSample
{
    /// <summary>The chest radiograph (about 120 elements) in explicit VR little endian.</summary>
    CrExplicitLittle,

    /// <summary>The CT slice (about 250 elements) in explicit VR little endian.</summary>
    CtExplicitLittle,

    /// <summary>The CT slice in implicit VR little endian, where every VR comes from the dictionary.</summary>
    CtImplicitLittle,

    /// <summary>The CT slice in the retired explicit VR big endian.</summary>
    CtExplicitBig,
}
