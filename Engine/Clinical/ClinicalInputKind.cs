namespace Nccid.Batch.Clinical;

/// <summary>How a raw clinical value was stored in its source.</summary>
public enum ClinicalInputKind
{
    /// <summary>A JSON null, or a field that is absent.</summary>
    Null,

    /// <summary>Text: a JSON string or any CSV cell.</summary>
    Text,

    /// <summary>A JSON number; <see cref="ClinicalInput.Text"/> is its literal as written.</summary>
    Number,

    /// <summary>A JSON true or false; <see cref="ClinicalInput.Text"/> is "true" or "false".</summary>
    Boolean,
}
