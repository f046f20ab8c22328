namespace Nccid.Batch.Audit.Deidentification;

/// <summary>The de-identification rules that do not come one per row of Table E.1-1.</summary>
internal static class DeidentificationRules
{
    private const RuleCategory Category = RuleCategory.Deidentification;
    private const string TableE11 = "PS3.15 Table E.1-1";

    public static readonly AuditRule PrivatePresent = new(
        "D-PRIVATE-Present", Category, Severity.Warning, RuleScope.Instance,
        "A private element holds a value, and the Retain Safe Private Option is not claimed.", TableE11 + " (private attributes: X); PS3.15 E.3.10");

    public static readonly AuditRule PrivateUnsafe = new(
        "D-PRIVATE-Unsafe", Category, Severity.Error, RuleScope.Instance,
        "A private element holds a value and its creator is missing or not on the profile's list of safe private creators.",
        TableE11 + " (private attributes: Retain Safe Private C); PS3.15 E.3.10");

    public static readonly AuditRule IdentityRemoved = new(
        "D-META-PatientIdentityRemoved", Category, Severity.Error, RuleScope.Instance,
        "Patient Identity Removed (0012,0062) is absent or not YES.", "PS3.15 E.1.1; PS3.3 C.7.1.1");

    public static readonly AuditRule Method = new(
        "D-META-DeidentificationMethod", Category, Severity.Error, RuleScope.Instance,
        "Neither De-identification Method (0012,0063) nor De-identification Method Code Sequence (0012,0064) is present.",
        "PS3.15 E.1.1; PS3.3 C.7.1.1");

    public static readonly AuditRule BurnedIn = new(
        "D-PIXEL-BurnedInAnnotation", Category, Severity.Critical, RuleScope.Instance,
        "Burned In Annotation (0028,0301) is YES: the pixels carry text that may identify the patient.", "PS3.15 E.1.1 (Clean Pixel Data); PS3.3 C.7.6.1.1.7");

    public static readonly AuditRule BurnedInUnknown = new(
        "D-PIXEL-BurnedInAnnotationUnknown", Category, Severity.Warning, RuleScope.Instance,
        "A CR or DX image without Burned In Annotation (0028,0301): text may be burned into the pixels.", "PS3.15 E.1.1 (Clean Pixel Data); PS3.3 C.7.6.1.1.7");

    public static readonly AuditRule NhsNumber = Text("NhsNumber", "An NHS number (ten digits with a valid modulus-11 check digit, or any ten digits right after \"NHS\") in a text value.");

    public static readonly AuditRule ChiNumber = Text("ChiNumber", "A CHI number (DDMMYY and four digits with a valid modulus-11 check digit, or any such ten digits right after \"CHI\") in a text value.");

    public static readonly AuditRule Postcode = Text("Postcode", "A UK postcode (a postcode area in use, a district and an inward code) in a text value.", Severity.Error);

    public static readonly AuditRule DateOfBirth = Text("DateOfBirth", "A date of birth written in a text value (\"DOB 12/03/1961\", \"born 1961-03-12\").");

    public static readonly AuditRule Phone = Text("Phone", "A UK telephone number in a text value.");

    public static readonly AuditRule Email = Text("Email", "An e-mail address in a text value.");

    public static readonly AuditRule HospitalNumber = Text("HospitalNumber", "A local hospital number (after a cue such as \"MRN\" or \"Hospital No\", or matching the profile's hospitalNumberPattern) in a text value.");

    public static readonly AuditRule PersonName = Text("PersonName", "A person name element (PN) holds a real-looking name rather than the pseudonym or a dummy.");

    public static readonly AuditRule ListedName = Text("ListedName", "A name from the profile's list of names in a text value.");

    /// <summary>Every rule above.</summary>
    public static IReadOnlyList<AuditRule> All { get; } =
    [
        PrivatePresent, PrivateUnsafe, IdentityRemoved, Method, BurnedIn, BurnedInUnknown,
        NhsNumber, ChiNumber, Postcode, DateOfBirth, Phone, Email, HospitalNumber, PersonName, ListedName,
    ];

    private static AuditRule Text(string name, string description, Severity severity = Severity.Critical) =>
        new("D-TEXT-" + name, Category, severity, RuleScope.Instance, description, "PS3.15 E.3.5 (residual identifiers in descriptors and text)");
}
