using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Nccid.Batch.Index;

/// <summary>The JSON settings of index payloads and headers: exact round trips of every value the rows hold.</summary>
internal static class IndexJson
{
    /// <summary>
    /// Payloads: compact, nulls left out, NaN and infinities allowed (a DS value may hold them); the known payload
    /// types use generated serializers (<see cref="IndexJsonContext"/>), which decode several times faster than reflection.
    /// </summary>
    public static JsonSerializerOptions Payload { get; } = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = JsonTypeInfoResolver.Combine(IndexJsonContext.Default, new DefaultJsonTypeInfoResolver()),
    };

    /// <summary>Headers: snake_case and indented, for people who open them.</summary>
    public static JsonSerializerOptions Header { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
