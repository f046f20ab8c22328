namespace Nccid.Batch.Clinical;

/// <summary>
/// One row of the cleaning rule table: a canonical clinical field, the names it arrives under, its type,
/// unit and plausible range, and where its clean value goes. See <see cref="ClinicalRules"/>.
/// </summary>
public sealed class FieldRule
{
    internal FieldRule(
        string column, string canonicalName, FieldKind kind, IReadOnlyList<string> variants, string rule,
        Action<PatientRecord, object?>? assign)
    {
        Column = column;
        CanonicalName = canonicalName;
        Kind = kind;
        Variants = variants;
        Rule = rule;
        Assign = assign;
    }

    /// <summary>The <c>patients</c> column the clean value goes to; empty for inputs that are only used to derive others.</summary>
    public string Column { get; }

    /// <summary>False for a field only read to derive another (a date or year of birth), which no table or extra keeps.</summary>
    public bool IsKept => Column.Length > 0;

    /// <summary>The field's name in the NCCID data dictionary, e.g. <c>PMH hypertension</c>.</summary>
    public string CanonicalName { get; }

    /// <summary>The field's type.</summary>
    public FieldKind Kind { get; }

    /// <summary>
    /// Other names the field arrives under, including known typos. Names are matched ignoring case, spaces and
    /// punctuation, so only variants that differ in letters or digits need listing.
    /// </summary>
    public IReadOnlyList<string> Variants { get; }

    /// <summary>What the cleaner does beyond the type's normaliser, for the documentation.</summary>
    public string Rule { get; }

    /// <summary>The canonical unit (numeric fields), e.g. <c>x10^9/L</c>.</summary>
    public string? Unit { get; init; }

    /// <summary>Units accepted for a numeric field; the first is the canonical unit.</summary>
    public IReadOnlyList<UnitAlias> Units { get; init; } = [];

    /// <summary>Lowest plausible value; smaller values are kept and flagged.</summary>
    public double? Min { get; init; }

    /// <summary>Highest plausible value; larger values are kept and flagged.</summary>
    public double? Max { get; init; }

    /// <summary>Earliest possible date (date fields); earlier dates are rejected.</summary>
    public DateOnly? MinDate { get; init; }

    /// <summary>Writes the clean value into a record; null for derive-only inputs.</summary>
    internal Action<PatientRecord, object?>? Assign { get; }
}
