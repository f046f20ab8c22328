using System.Text;
using BenchmarkDotNet.Attributes;
using Nccid.Batch.Dicom;

namespace Nccid.Batch.Benchmarks.Dicom;

/// <summary>Decoding one person name under the character sets a national corpus mostly carries.</summary>
[MemoryDiagnoser]
public class DicomCharacterSetBenchmarks
{
    private byte[] rawCharacterSet = [];
    private byte[] value = [];
    private DicomCharacterSet characterSet = DicomCharacterSet.Default;

    /// <summary>The raw (0008,0005) value.</summary>
    [Params("", "ISO_IR 100", "ISO_IR 192", "\\ISO 2022 IR 87")]
    public string CharacterSet { get; set; } = string.Empty;

    /// <summary>Builds a realistic name value in the chosen character set.</summary>
    [GlobalSetup]
    public void Setup()
    {
        rawCharacterSet = Encoding.ASCII.GetBytes(CharacterSet);
        characterSet = DicomCharacterSet.FromValue(rawCharacterSet);
        value = CharacterSet switch
        {
            "ISO_IR 100" => Encoding.Latin1.GetBytes("Buc^Jérôme^^Dr"),
            "ISO_IR 192" => Encoding.UTF8.GetBytes("Wang^XiaoDong=王^小東"),
            "\\ISO 2022 IR 87" =>
            [
                .. "Yamada^Tarou="u8, 0x1B, (byte)'$', (byte)'B', .. ";3ED"u8, 0x1B, (byte)'(', (byte)'B',
                (byte)'^', 0x1B, (byte)'$', (byte)'B', .. "B@O:"u8, 0x1B, (byte)'(', (byte)'B',
            ],
            _ => Encoding.ASCII.GetBytes("SMITH^JOHN^^MR"),
        };
    }

    /// <summary>Finds the cached character set for the raw value, as the reader does once per file.</summary>
    [Benchmark]
    public DicomCharacterSet Lookup() => DicomCharacterSet.FromValue(rawCharacterSet);

    /// <summary>Decodes the name.</summary>
    [Benchmark]
    public string DecodePersonName() => characterSet.Decode(value, DicomVR.PN);
}
