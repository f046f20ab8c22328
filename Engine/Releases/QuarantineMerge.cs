using System.Text.Json.Serialization;
using Nccid.Batch.Audit;
using Nccid.Batch.Storage;
using Nccid.Batch.Tables;
using Parquet.Serialization;
using Parquet.Serialization.Attributes;

namespace Nccid.Batch.Releases;

/// <summary>
/// Adds the instances the release join leaves out (identical copies, images outside the collection windows) to the
/// quarantine table the audit wrote: both in the table's order (path, then kind; at equal keys the audit's row first),
/// merged as they are read, so that neither side is held whole.
/// </summary>
internal static class QuarantineMerge
{
    /// <summary>Writes and reads a quarantine row in a run file of an <see cref="ExternalSorter{T}"/>.</summary>
    public static ISpillCodec<QuarantineRow> Codec { get; } = new RowCodec();

    /// <summary>
    /// Rewrites the quarantine table in <paramref name="staging"/> with <paramref name="added"/> (in <see cref="QuarantineTable.Order"/>)
    /// merged in, through a sibling folder that replaces it.
    /// </summary>
    public static async Task WriteAsync(string staging, IEnumerable<QuarantineRow> added, ParquetPartOptions options, CancellationToken cancellationToken)
    {
        var table = Path.Combine(staging, QuarantineTable.Schema.Name);
        var merged = Path.Combine(staging, ".quarantine-merged");
        await using (var writer = new ParquetPartWriter<QuarantineRow>(merged, QuarantineTable.Schema, options))
        {
            using var more = added.GetEnumerator();
            var pending = more.MoveNext();
            await foreach (var row in ReadAsync(table, cancellationToken).ConfigureAwait(false))
            {
                for (; pending && QuarantineTable.Order.Compare(more.Current, row) < 0; pending = more.MoveNext())
                {
                    await writer.AddAsync(more.Current, cancellationToken).ConfigureAwait(false);
                }

                await writer.AddAsync(row, cancellationToken).ConfigureAwait(false);
            }

            for (; pending; pending = more.MoveNext()) await writer.AddAsync(more.Current, cancellationToken).ConfigureAwait(false);
            await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        Directory.Delete(table, recursive: true);
        Directory.Move(merged, table);
    }

    /// <summary>The rows of the quarantine table in <paramref name="tableDirectory"/>, in part and row order.</summary>
    public static async IAsyncEnumerable<QuarantineRow> ReadAsync(string tableDirectory,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var parts = Directory.GetFiles(tableDirectory, "part-*.parquet");
        Array.Sort(parts, StringComparer.Ordinal);
        foreach (var part in parts)
        {
            // One open file a part: the footer is read for the row-group count, then a row group at a time.
            await using var stream = File.OpenRead(part);
            int groups;
            await using (var reader = await Parquet.ParquetReader.CreateAsync(stream, leaveStreamOpen: true, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                groups = reader.RowGroupCount;
            }

            for (var g = 0; g < groups; g++)
            {
                stream.Position = 0;
                var rows = await ParquetSerializer.DeserializeAsync<StoredRow>(stream, null, g, cancellationToken).ConfigureAwait(false);
                foreach (var r in rows.Data)
                {
                    yield return new QuarantineRow { Path = r.Path, SopInstanceUid = r.SopInstanceUid, Kind = r.Kind, RuleIds = r.RuleIds?.ToArray() ?? [], Severity = r.Severity };
                }
            }
        }
    }

    /// <summary>A row as the table stores it.</summary>
    private sealed class StoredRow
    {
        [JsonPropertyName("path")]
        [ParquetRequired]
        public string Path { get; set; } = string.Empty;

        [JsonPropertyName("sop_instance_uid")]
        public string? SopInstanceUid { get; set; }

        [JsonPropertyName("kind")]
        [ParquetRequired]
        public string Kind { get; set; } = string.Empty;

        [JsonPropertyName("rule_ids")]
        [ParquetListElementRequired]
        public List<string>? RuleIds { get; set; }

        [JsonPropertyName("severity")]
        [ParquetRequired]
        public string Severity { get; set; } = string.Empty;
    }

    private sealed class RowCodec : ISpillCodec<QuarantineRow>
    {
        public void Write(BinaryWriter writer, QuarantineRow item)
        {
            writer.Write(item.Path);
            InstanceFactsCodec.Str(writer, item.SopInstanceUid);
            writer.Write(item.Kind);
            writer.Write7BitEncodedInt(item.RuleIds.Count);
            foreach (var id in item.RuleIds) writer.Write(id);
            writer.Write(item.Severity);
        }

        public QuarantineRow Read(BinaryReader reader)
        {
            var row = new QuarantineRow { Path = reader.ReadString(), SopInstanceUid = InstanceFactsCodec.ReadStr(reader), Kind = reader.ReadString() };
            var ids = new string[reader.Read7BitEncodedInt()];
            for (var k = 0; k < ids.Length; k++) ids[k] = reader.ReadString();
            row.RuleIds = ids;
            row.Severity = reader.ReadString();
            return row;
        }
    }
}
