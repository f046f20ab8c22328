using System.Globalization;
using Nccid.Batch.Dicom;
using Nccid.Batch.Pipeline;
using Nccid.Batch.Synthetic;
using Nccid.Batch.Tables;

namespace Nccid.Batch.Benchmarks.Tables;

/// <summary>
/// Instance rows as a scan of a chest-imaging archive produces them: per patient two radiographs and a
/// 300-slice CT series, each row projected from its own reference header, so values (and header_json) vary
/// from row to row as they do in real tables.
/// </summary>
internal static class ReferenceRows
{
    private const int ImagesPerPatient = 2 + ReferenceHeaders.CtSlicesPerSeries;
    private static readonly DateTime Modified = new(2021, 6, 1, 0, 0, 0, DateTimeKind.Utc);

    public static InstanceRow[] Create(int count, bool includeHeaderJson)
    {
        var rows = new InstanceRow[count];
        var store = new MemoryObjectStore();
        var projector = new InstanceProjector(includeHeaderJson);
        using var reader = new HeaderReader(DicomReadOptions.Default);
        for (var i = 0; i < count; i++)
        {
            var patient = i / ImagesPerPatient;
            var image = i % ImagesPerPatient;
            var radiograph = image < 2;
            var dataSet = radiograph
                ? ReferenceHeaders.ChestRadiograph(patient, image, withPixelData: false)
                : ReferenceHeaders.ChestCtSlice(patient, image - 2, withPixelData: false);
            var bytes = DicomFileWriter.ToBytes(dataSet, new DicomWriteOptions());
            var stored = store.Put("image.dcm", bytes, Modified.AddSeconds(i));
            var result = reader.ReadAsync(store, stored, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            var row = projector.Project(stored, reader, result);

            // The headers were written without their pixel data; give the row the file it stands for.
            var pixelBytes = radiograph ? ReferenceHeaders.RadiographRows * ReferenceHeaders.RadiographColumns * 2 : ReferenceHeaders.CtMatrix * ReferenceHeaders.CtMatrix * 2;
            row.Path = string.Create(CultureInfo.InvariantCulture, $"centre-{patient % 23:D2}/{row.PatientID}/{row.StudyInstanceUID}/{row.SeriesInstanceUID}/{row.SOPInstanceUID}.dcm");
            row.SizeBytes = bytes.Length + 12 + pixelBytes;
            row.HeaderBytes = Math.Min(reader.InitialReadBytes, row.SizeBytes);
            row.PixelDataLength = pixelBytes;
            row.PixelDataEncapsulated = false;
            rows[i] = row;
        }

        return rows;
    }
}
