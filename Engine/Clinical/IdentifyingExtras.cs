using System.Collections.Frozen;
using System.Text.Json;
using Nccid.Batch.Audit.Deidentification;

namespace Nccid.Batch.Clinical;

/// <summary>
/// Decides whether a field the record does not know may go into <c>extra_fields</c>, which the release publishes as
/// submitted: not when its name says it holds an identifier (a name, an NHS or hospital number, an address, a
/// postcode, a telephone number, an e-mail address, a date of birth, a next of kin or GP), nor when its value holds
/// one that the DICOM text scanners find (NHS and CHI numbers, hospital numbers after a cue, telephone numbers,
/// postcodes, e-mail addresses, dates of birth after a cue).
/// </summary>
internal static class IdentifyingExtras
{
    private static readonly FrozenSet<string> Names = FrozenSet.ToFrozenSet(
    [
        "name", "patientname", "fullname", "firstname", "lastname", "forename", "forenames", "surname", "givenname", "familyname",
        "initials", "dob", "nhs", "nhsno", "chi", "chino", "chinumber", "mrn", "hospno", "unitno", "unitnumber", "address", "zip",
        "zipcode", "phone", "tel", "mobile", "nok", "gp", "gpname", "gppractice", "gpsurgery",
    ], StringComparer.Ordinal);

    private static readonly string[] NameParts =
    [
        "nhsnumber", "postcode", "address", "surname", "forename", "telephone", "phonenumber", "email", "dateofbirth", "birthdate",
        "patientname", "nextofkin", "hospitalnumber", "hospitalno", "medicalrecordnumber",
    ];

    /// <summary>True when the field named <paramref name="path"/> (its last segment counts) with raw JSON <paramref name="json"/> looks identifying.</summary>
    public static bool Looks(string path, string json)
    {
        var name = TextKey.Fold(path[(path.LastIndexOf('.') + 1)..]);
        if (Names.Contains(name)) return true;
        foreach (var part in NameParts)
        {
            if (name.Contains(part, StringComparison.Ordinal)) return true;
        }

        var text = Text(json);
        return HealthNumberScanner.TryFindNext(text, 0, out _, out _, out _)
            || HospitalNumberScanner.TryFindNext(text, 0, out _, out _)
            || PhoneScanner.TryFindNext(text, 0, out _, out _)
            || PostcodeScanner.TryFindNext(text, 0, out _, out _)
            || EmailScanner.TryFindNext(text, 0, out _, out _)
            || DateOfBirthScanner.TryFindNext(text, 0, out _, out _);
    }

    /// <summary>A string value's text; any other JSON as written (a number's digits, a list's elements in their quotes).</summary>
    private static string Text(string json)
    {
        if (json.Length > 1 && json[0] == '"')
        {
            try
            {
                return JsonSerializer.Deserialize<string>(json) ?? string.Empty;
            }
            catch (JsonException)
            {
                return json;
            }
        }

        return json;
    }
}
