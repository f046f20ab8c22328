using Parquet;
using Parquet.Schema;

namespace Nccid.Batch.Tables;

/// <summary>
/// Streams an instances table back from its part files, a part at a time (the next one decoded meanwhile), so that
/// release assembly joins and aggregates millions of rows with memory bounded by the part size.
/// </summary>
public static class InstanceTableReader
{
    /// <summary>Reads every row of the table in <paramref name="tableDirectory"/>, in part and row order.</summary>
    public static async IAsyncEnumerable<InstanceSummaryRow> ReadAsync(string tableDirectory, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var part in ReadPartsAsync(tableDirectory, cancellationToken).ConfigureAwait(false))
        {
            foreach (var row in part) yield return row;
        }
    }

    /// <summary>
    /// Reads the table in <paramref name="tableDirectory"/> a part file at a time, in part order. The next part is
    /// decoded on the thread pool while the caller works on the current one, so memory holds two parts' rows.
    /// </summary>
    public static async IAsyncEnumerable<IReadOnlyList<InstanceSummaryRow>> ReadPartsAsync(string tableDirectory,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var parts = Directory.GetFiles(tableDirectory, "part-*.parquet");
        Array.Sort(parts, StringComparer.Ordinal);
        var next = parts.Length > 0 ? ReadAhead(parts[0], cancellationToken) : null;
        for (var p = 0; p < parts.Length; p++)
        {
            var rows = await next!.ConfigureAwait(false);
            next = p + 1 < parts.Length ? ReadAhead(parts[p + 1], cancellationToken) : null;
            yield return rows;
        }
    }

    /// <summary>
    /// The part files of the table in <paramref name="tableDirectory"/>, in part order, each with its chunk label
    /// (<c>fingerprint/index</c>, see <see cref="PartReuse.MetadataKey"/>; null outside chunks), from their footers only.
    /// </summary>
    public static async Task<IReadOnlyList<(string File, string? Label)>> ListPartsAsync(string tableDirectory, CancellationToken cancellationToken)
    {
        var parts = Directory.GetFiles(tableDirectory, "part-*.parquet");
        Array.Sort(parts, StringComparer.Ordinal);
        var result = new List<(string, string?)>(parts.Length);
        foreach (var part in parts)
        {
            await using var stream = File.OpenRead(part);
            await using var reader = await ParquetReader.CreateAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            result.Add((part, reader.CustomMetadata.GetValueOrDefault(PartReuse.MetadataKey)));
        }

        return result;
    }

    /// <summary>Starts reading one part file on the thread pool (see <see cref="ReadPartAsync"/>).</summary>
    public static Task<List<InstanceSummaryRow>> ReadAhead(string part, CancellationToken cancellationToken) => Task.Run(() => ReadPartAsync(part, cancellationToken), cancellationToken);

    /// <summary>Reads every row of one part file, in order.</summary>
    public static async Task<List<InstanceSummaryRow>> ReadPartAsync(string part, CancellationToken cancellationToken)
    {
        var result = new List<InstanceSummaryRow>();
        await using var stream = File.OpenRead(part);
        await using var reader = await ParquetReader.CreateAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        var fields = reader.Schema.Fields.OfType<DataField>().ToDictionary(f => f.Name, StringComparer.Ordinal);
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var n = checked((int)group.RowCount);
            async Task<string?[]> Str(string name)
            {
                var values = new string?[n];
                await group.ReadAsync(fields[name], values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
                return values;
            }

            async Task<T?[]> Val<T>(string name) where T : struct
            {
                var values = new T?[n];
                await group.ReadAsync(fields[name], values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
                return values;
            }

            async Task<T[]> Req<T>(string name) where T : struct
            {
                var values = new T[n];
                await group.ReadAsync(fields[name], values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
                return values;
            }

            var path = await Str("path").ConfigureAwait(false);
            var status = await Str("status").ConfigureAwait(false);
            var size = await Req<long>("size_bytes").ConfigureAwait(false);
            var modified = await Req<DateTime>("modified_utc").ConfigureAwait(false);
            var sop = await Str("SOPInstanceUID").ConfigureAwait(false);
            var sopClass = await Str("SOPClassUID").ConfigureAwait(false);
            var study = await Str("StudyInstanceUID").ConfigureAwait(false);
            var series = await Str("SeriesInstanceUID").ConfigureAwait(false);
            var modality = await Str("Modality").ConfigureAwait(false);
            var patient = await Str("PatientID").ConfigureAwait(false);
            var sex = await Str("PatientSex").ConfigureAwait(false);
            var age = await Str("PatientAge").ConfigureAwait(false);
            // Parquet DATE columns read back as DateTime.
            var studyDateTimes = await Val<DateTime>("StudyDate").ConfigureAwait(false);
            var studyDate = Array.ConvertAll(studyDateTimes, d => d is { } v ? DateOnly.FromDateTime(v) : (DateOnly?)null);
            var seriesNumber = await Val<int>("SeriesNumber").ConfigureAwait(false);
            var seriesDescription = await Str("SeriesDescription").ConfigureAwait(false);
            var studyDescription = await Str("StudyDescription").ConfigureAwait(false);
            var bodyPart = await Str("BodyPartExamined").ConfigureAwait(false);
            var view = await Str("ViewPosition").ConfigureAwait(false);
            var manufacturer = await Str("Manufacturer").ConfigureAwait(false);
            var model = await Str("ManufacturerModelName").ConfigureAwait(false);
            var rows = await Val<int>("Rows").ConfigureAwait(false);
            var columns = await Val<int>("Columns").ConfigureAwait(false);
            var syntax = await Str("TransferSyntaxUID").ConfigureAwait(false);
            for (var i = 0; i < n; i++)
            {
                result.Add(new InstanceSummaryRow(path[i]!, status[i]!, size[i], modified[i], sop[i], sopClass[i], study[i], series[i], modality[i], patient[i], sex[i], age[i],
                    studyDate[i], seriesNumber[i], seriesDescription[i], studyDescription[i], bodyPart[i], view[i], manufacturer[i], model[i], rows[i], columns[i], syntax[i]));
            }
        }

        return result;
    }
}
