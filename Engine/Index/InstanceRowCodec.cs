using System.Text.Json;
using Nccid.Batch.Tables;

namespace Nccid.Batch.Index;

/// <summary>The codec of the <c>scan</c> verb's rows: the instances row as JSON.</summary>
public sealed class InstanceRowCodec : IIndexCodec<InstanceRow>
{
    /// <inheritdoc />
    public string Kind => "scan";

    /// <inheritdoc />
    public bool DecodesRow => true;

    /// <inheritdoc />
    public (byte[] Meta, string Row, string? Text) Encode(InstanceRow row)
    {
        var encoded = EncodeRow(row, out var text);
        return ([], encoded, text);
    }

    /// <inheritdoc />
    public InstanceRow Decode(ScanIndexEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var (payload, text) = entry.LoadRow();
        return DecodeRow(payload, text);
    }

    /// <summary>Serializes <paramref name="row"/> without its header_json, which is handed back apart.</summary>
    internal static string EncodeRow(InstanceRow row, out string? text)
    {
        ArgumentNullException.ThrowIfNull(row);
        text = row.HeaderJson;
        row.HeaderJson = null;
        try
        {
            return JsonSerializer.Serialize(row, IndexJson.Payload);
        }
        finally
        {
            row.HeaderJson = text;
        }
    }

    /// <summary>The row <see cref="EncodeRow"/> made, with its header_json.</summary>
    internal static InstanceRow DecodeRow(string payload, string? text)
    {
        var row = JsonSerializer.Deserialize<InstanceRow>(payload, IndexJson.Payload) ?? throw new InvalidDataException("An index entry holds no row.");
        row.HeaderJson = text;
        return row;
    }

    /// <inheritdoc />
    public bool DependsOnReferenceDate(InstanceRow row) => false;
}
