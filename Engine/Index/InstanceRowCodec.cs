using System.Text.Json;
using Nccid.Batch.Tables;

namespace Nccid.Batch.Index;

/// <summary>The codec of the <c>scan</c> verb's rows: the instances row as JSON.</summary>
public sealed class InstanceRowCodec : IIndexCodec<InstanceRow>
{
    /// <inheritdoc />
    public string Kind => "scan";

    /// <inheritdoc />
    public string Encode(InstanceRow row) => JsonSerializer.Serialize(row, IndexJson.Payload);

    /// <inheritdoc />
    public InstanceRow Decode(string payload) =>
        JsonSerializer.Deserialize<InstanceRow>(payload, IndexJson.Payload) ?? throw new InvalidDataException("An index entry holds no row.");

    /// <inheritdoc />
    public bool DependsOnReferenceDate(InstanceRow row) => false;
}
