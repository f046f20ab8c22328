using Nccid.Batch.Storage;
using Nccid.Batch.Synthetic;

namespace Nccid.Batch.Benchmarks;

/// <summary>Writes reference headers as whole files, pixel data included, the way a store holds them.</summary>
internal static class ReferenceFiles
{
    public static DicomDataSetBuilder DataSet(ReferenceSample sample, int patient, int image, bool withPixelData) => sample == ReferenceSample.CrExplicitLittle
        ? ReferenceHeaders.ChestRadiograph(patient, image, withPixelData)
        : ReferenceHeaders.ChestCtSlice(patient, image, withPixelData);

    public static SyntheticTransferSyntax Syntax(ReferenceSample sample) => sample switch
    {
        ReferenceSample.CtImplicitLittle => SyntheticTransferSyntax.ImplicitVRLittleEndian,
        ReferenceSample.CtExplicitBig => SyntheticTransferSyntax.ExplicitVRBigEndian,
        _ => SyntheticTransferSyntax.ExplicitVRLittleEndian,
    };

    /// <summary>Writes the sample into a new temporary folder; returns the folder and the listed object.</summary>
    public static (string Folder, StoredObject Stored) WriteToTemporaryFolder(ReferenceSample sample)
    {
        var folder = Directory.CreateTempSubdirectory("nccid-benchmark-").FullName;
        const string key = "image.dcm";
        using (var stream = File.Create(Path.Combine(folder, key)))
        {
            DicomFileWriter.Write(stream, DataSet(sample, 17, 42, withPixelData: true), new DicomWriteOptions { TransferSyntax = Syntax(sample) });
        }

        var info = new FileInfo(Path.Combine(folder, key));
        return (folder, new StoredObject(key, info.Length, info.LastWriteTimeUtc));
    }
}
