using Nccid.Batch.Dicom;
using Nccid.Batch.Synthetic;

namespace Nccid.Batch.Fuzz;

/// <summary>
/// The synthetic seeds: shapes the public test files have few of, written by the engine's own DICOM writer so they
/// are valid to begin with (every encoding, no preamble or file meta, nested and undefined-length sequences,
/// encapsulated pixel data, a private block, ISO 2022 text).
/// </summary>
internal static class SeedWriter
{
    public static int Write(string folder)
    {
        Directory.CreateDirectory(folder);
        var seeds = new List<(string Name, byte[] Bytes)>();
        foreach (var syntax in new[]
                 {
                     SyntheticTransferSyntax.ExplicitVRLittleEndian, SyntheticTransferSyntax.ImplicitVRLittleEndian,
                     SyntheticTransferSyntax.ExplicitVRBigEndian, SyntheticTransferSyntax.DeflatedExplicitVRLittleEndian,
                 })
        {
            var options = new DicomWriteOptions { TransferSyntax = syntax };
            seeds.Add(($"ct-{syntax}", DicomFileWriter.ToBytes(ReferenceHeaders.ChestCtSlice(7, 11, withPixelData: false), options)));
            seeds.Add(($"cr-{syntax}", DicomFileWriter.ToBytes(ReferenceHeaders.ChestRadiograph(7, 1, withPixelData: false), options)));
        }

        var bare = new DicomWriteOptions { IncludePreamble = false, IncludeFileMeta = false, TransferSyntax = SyntheticTransferSyntax.ImplicitVRLittleEndian };
        seeds.Add(("cr-no-preamble-no-meta", DicomFileWriter.ToBytes(ReferenceHeaders.ChestRadiograph(3, 2, withPixelData: false), bare)));

        var nested = new DicomDataSetBuilder().AddString(new DicomTag(0x0008, 0x0060), DicomVR.CS, "CT");
        var inner = nested.CreateItem().AddString(new DicomTag(0x0008, 0x0100), DicomVR.SH, "T-D3000");
        var middle = nested.CreateItem().AddSequence(new DicomTag(0x0040, 0xA730), [inner, inner], undefinedLength: true, undefinedItemLength: true);
        nested.AddSequence(new DicomTag(0x0040, 0xA730), [middle, middle], undefinedLength: false);
        nested.AddString(new DicomTag(0x0010, 0x0020), DicomVR.LO, "P-0001");
        seeds.Add(("nested-sequences", DicomFileWriter.ToBytes(nested, new DicomWriteOptions())));

        var encapsulated = ReferenceHeaders.ChestRadiograph(5, 1, withPixelData: false);
        encapsulated.AddEncapsulatedPixelData([new byte[] { 0xFF, 0xD8, 0xFF, 0xD9 }, new byte[] { 1, 2, 3, 4, 5, 6 }], [0u]);
        seeds.Add(("cr-encapsulated", DicomFileWriter.ToBytes(encapsulated, new DicomWriteOptions { TransferSyntax = SyntheticTransferSyntax.JpegBaseline })));

        var withPrivate = ReferenceHeaders.ChestCtSlice(9, 3, withPixelData: false);
        withPrivate.AddPrivateBlock(0x0029, 0x10, "SIEMENS CSA HEADER").AddBytes(0x08, DicomVR.OB, new byte[] { 0x53, 0x56, 0x31, 0x30, 0, 0, 0, 0 });
        seeds.Add(("ct-private-block", DicomFileWriter.ToBytes(withPrivate, new DicomWriteOptions())));

        var japanese = new DicomDataSetBuilder(System.Text.Encoding.Latin1)
            .AddString(new DicomTag(0x0008, 0x0005), DicomVR.CS, @"\ISO 2022 IR 87")
            .AddString(new DicomTag(0x0008, 0x0060), DicomVR.CS, "DX");
        japanese.AddBytes(new DicomTag(0x0010, 0x0010), DicomVR.PN,
            "Yamada^Tarou="u8.ToArray().Concat(new byte[] { 0x1B, 0x24, 0x42, 0x3B, 0x33, 0x45, 0x44, 0x1B, 0x28, 0x42, 0x5E, 0x1B, 0x24, 0x42, 0x42, 0x40, 0x4F, 0x3A, 0x1B, 0x28, 0x42 }).ToArray());
        seeds.Add(("iso2022-name", DicomFileWriter.ToBytes(japanese, new DicomWriteOptions())));

        foreach (var (name, bytes) in seeds) File.WriteAllBytes(Path.Combine(folder, "synthetic-" + name + ".dcm"), bytes);
        return seeds.Count;
    }
}
