using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Nccid.Batch.Index;

/// <summary>The JSON settings of index payloads and headers: exact round trips of every value the rows hold.</summary>
internal static class IndexJson
{
    /// <summary>
    /// Payloads of the index's settings: compact, nulls left out, NaN and infinities allowed (a DS value may hold them).
    /// </summary>
    public static JsonSerializerOptions Payload { get; } = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    /// <summary>Headers: snake_case and indented, for people who open them.</summary>
    public static JsonSerializerOptions Header { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
