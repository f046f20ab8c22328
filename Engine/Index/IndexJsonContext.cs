using System.Text.Json.Serialization;
using Nccid.Batch.Tables;

namespace Nccid.Batch.Index;

/// <summary>Generated serializers of the index payloads (see <see cref="IndexJson.Payload"/>).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(InstanceRow))]
internal sealed partial class IndexJsonContext : JsonSerializerContext;
