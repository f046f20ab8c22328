namespace Nccid.Batch.Tests.Fixtures;

/// <summary>
/// What one reader reports for one file: accepted or rejected, and when accepted, the compared fields as text
/// (null when the element is absent, "" when present but empty).
/// </summary>
public sealed record ConformanceReading(bool Ok, string? Error, IReadOnlyDictionary<string, string?> Fields)
{
    /// <summary>The status field's value for an accepted file.</summary>
    public const string Accepted = "ok";

    /// <summary>The status field's value for a rejected file.</summary>
    public const string Rejected = "error";

    /// <summary>The compared fields, in report order. "status" is compared for every file, the rest only when both sides accept it.</summary>
    public static readonly IReadOnlyList<string> FieldNames =
    [
        "status", "transferSyntax", "sopClass", "sopInstance", "study", "series", "modality", "patientId",
        "studyDate", "seriesDate", "rows", "columns", "charset", "patientName", "topLevelCount",
    ];

    /// <summary>A rejection with its reason.</summary>
    public static ConformanceReading Rejection(string error) => new(false, error, new Dictionary<string, string?>());

    /// <summary>The value of <paramref name="field"/>: "ok"/"error" for status, otherwise the reported text.</summary>
    public string? Get(string field) => field == "status" ? (Ok ? Accepted : Rejected) : Fields.GetValueOrDefault(field);
}
