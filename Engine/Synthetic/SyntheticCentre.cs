using System.Text;

namespace Nccid.Batch.Synthetic;

/// <summary>A submitting centre and the habits of its systems.</summary>
internal sealed record SyntheticCentre(
    string Name,
    string Code,
    double Weight,
    SyntheticVendor XrayVendor,
    SyntheticVendor CrossSectionVendor,
    bool Utf8,
    bool IndentedJson)
{
    public string CharacterSet => Utf8 ? "ISO_IR 192" : "ISO_IR 100";

    public Encoding TextEncoding => Utf8 ? Encoding.UTF8 : Encoding.Latin1;
}
