using System.Globalization;
using System.Text.Json;

namespace Nccid.Batch.Clinical;

/// <summary>One raw clinical value as it came from a JSON record or a CSV cell, before cleaning.</summary>
/// <param name="Kind">How the value was stored.</param>
/// <param name="Text">The value's text: the string, the number's literal, "true"/"false", or empty for null.</param>
public readonly record struct ClinicalInput(ClinicalInputKind Kind, string Text)
{
    /// <summary>The null input.</summary>
    public static ClinicalInput Null { get; } = new(ClinicalInputKind.Null, string.Empty);

    /// <summary>A text input.</summary>
    public static ClinicalInput FromText(string text) => new(ClinicalInputKind.Text, text);

    /// <summary>A JSON number input.</summary>
    public static ClinicalInput FromNumber(double value) =>
        new(ClinicalInputKind.Number, value.ToString("R", CultureInfo.InvariantCulture));

    /// <summary>A JSON boolean input.</summary>
    public static ClinicalInput FromBoolean(bool value) => new(ClinicalInputKind.Boolean, value ? "true" : "false");

    /// <summary>The input for a scalar JSON value; objects and arrays are not scalar and give null.</summary>
    public static ClinicalInput? FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => FromText(element.GetString() ?? string.Empty),
        JsonValueKind.Number => new ClinicalInput(ClinicalInputKind.Number, element.GetRawText()),
        JsonValueKind.True => FromBoolean(true),
        JsonValueKind.False => FromBoolean(false),
        JsonValueKind.Null => Null,
        _ => null,
    };

    /// <summary>True for null input and for text that is empty or white space.</summary>
    public bool IsBlank => Kind == ClinicalInputKind.Null || string.IsNullOrWhiteSpace(Text);

    /// <summary>The number's value when <see cref="Kind"/> is <see cref="ClinicalInputKind.Number"/>.</summary>
    public bool TryGetNumber(out double value)
    {
        value = 0;
        return Kind == ClinicalInputKind.Number
            && double.TryParse(Text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }
}
