using System.Text.Json;
using Nccid.Batch.Tables;

namespace Nccid.Batch.Index;

/// <summary>The codec of the <c>scan</c> verb's rows: the instances row as JSON.</summary>
public sealed class InstanceRowCodec : IIndexCodec<InstanceRow>
{
    /// <inheritdoc />
    public string Kind => "scan";

    /// <inheritdoc />
    public string Encode(InstanceRow row, out string? text) => Encode(row, IndexJson.Payload, out text);

    /// <inheritdoc />
    public InstanceRow Decode(string payload, string? text)
    {
        var row = JsonSerializer.Deserialize<InstanceRow>(payload, IndexJson.Payload) ?? throw new InvalidDataException("An index entry holds no row.");
        row.HeaderJson = text;
        return row;
    }

    /// <summary>Serializes <paramref name="row"/> without its header_json, which is handed back apart.</summary>
    internal static string Encode<T>(InstanceRow row, T value, JsonSerializerOptions options, out string? text)
    {
        ArgumentNullException.ThrowIfNull(row);
        text = row.HeaderJson;
        row.HeaderJson = null;
        try
        {
            return JsonSerializer.Serialize(value, options);
        }
        finally
        {
            row.HeaderJson = text;
        }
    }

    private static string Encode(InstanceRow row, JsonSerializerOptions options, out string? text) => Encode(row, row, options, out text);

    /// <inheritdoc />
    public bool DependsOnReferenceDate(InstanceRow row) => false;
}
