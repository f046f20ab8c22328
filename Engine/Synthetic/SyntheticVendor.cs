namespace Nccid.Batch.Synthetic;

/// <summary>A scanner vendor: the Manufacturer value, its model names and whether its radiographs are CR or DX.</summary>
internal sealed record SyntheticVendor(
    string Name,
    string Manufacturer,
    IReadOnlyList<string> XrayModels,
    IReadOnlyList<string> CtModels,
    IReadOnlyList<string> MrModels,
    string XrayModality);
