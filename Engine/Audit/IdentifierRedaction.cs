using System.Globalization;
using Nccid.Batch.Tables;

namespace Nccid.Batch.Audit;

/// <summary>
/// Keeps the audit from copying what it flags into its own output: every top-level element named by a
/// de-identification finding of severity warning or above is left out of header_json, and the instances column
/// that holds it is emptied. The finding itself says where the element is.
/// </summary>
public static class IdentifierRedaction
{
    private static readonly Dictionary<uint, Action<InstanceRow>> Clearers = new()
    {
        [0x00100020] = r => r.PatientID = null,
        [0x00100040] = r => r.PatientSex = null,
        [0x00101010] = r => r.PatientAge = null,
        [0x00080020] = r => r.StudyDate = null,
        [0x00080021] = r => r.SeriesDate = null,
        [0x00080022] = r => r.AcquisitionDate = null,
        [0x00080030] = r => r.StudyTime = null,
        [0x00081030] = r => r.StudyDescription = null,
        [0x0008103E] = r => r.SeriesDescription = null,
        [0x00080050] = r => r.AccessionNumber = null,
        [0x00180015] = r => r.BodyPartExamined = null,
        [0x00080008] = r => r.ImageType = null,
        [0x00080070] = r => r.Manufacturer = null,
        [0x00081090] = r => r.ManufacturerModelName = null,
        [0x00181020] = r => r.SoftwareVersions = null,
        [0x00080080] = r => r.InstitutionName = null,
        [0x00081010] = r => r.StationName = null,
        [0x00181210] = r => r.ConvolutionKernel = null,
        [0x00180010] = r => r.ContrastBolusAgent = null,
        [0x00120063] = r => r.DeidentificationMethod = null,
    };

    /// <summary>
    /// Empties the columns of <paramref name="row"/> that <paramref name="findings"/> flag; returns the top-level tags
    /// to leave out of header_json (null when there are none).
    /// </summary>
    public static HashSet<uint>? Apply(InstanceRow row, IReadOnlyList<AuditFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(findings);
        HashSet<uint>? withheld = null;
        foreach (var finding in findings)
        {
            if (finding.Rule.Category != RuleCategory.Deidentification || finding.Severity < Severity.Warning) continue;
            if (TopLevelTag(finding.TagPath) is not { } tag) continue;
            (withheld ??= []).Add(tag);
            if (Clearers.TryGetValue(tag, out var clear)) clear(row);
        }

        return withheld;
    }

    /// <summary>The first tag of a tag path like <c>(0008,1030)</c> or <c>(0040,0275)[0].(0032,1060)</c>.</summary>
    private static uint? TopLevelTag(string tagPath)
    {
        if (tagPath.Length < 11 || tagPath[0] != '(' || tagPath[5] != ',' || tagPath[10] != ')') return null;
        return uint.TryParse(string.Concat(tagPath.AsSpan(1, 4), tagPath.AsSpan(6, 4)), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var tag) ? tag : null;
    }
}
