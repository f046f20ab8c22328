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
        TypeInfoResolver = Generated(IndexJsonContext.Default),
    };

    /// <summary>Headers: snake_case and indented, for people who open them.</summary>
    public static JsonSerializerOptions Header { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>
    /// Metadata generated at build time for the types of <paramref name="context"/>, and built by reflection for any other
    /// type, under the settings of the options it is given to.
    /// </summary>
    public static IJsonTypeInfoResolver Generated(JsonSerializerContext context) => JsonTypeInfoResolver.Combine(context, new DefaultJsonTypeInfoResolver());
}
