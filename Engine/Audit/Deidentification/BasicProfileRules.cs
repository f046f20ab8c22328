namespace Nccid.Batch.Audit.Deidentification;

/// <summary>
/// One rule per row of Table E.1-1, id <c>D-E1-&lt;Keyword&gt;</c>. Severity follows what the attribute is: a
/// patient identifier no option may keep (group 0010) is critical; an attribute some option of the table keeps
/// or cleans (dates, descriptions, device, institution, patient characteristics) is a quasi-identifier whose
/// presence is a warning when the option is not claimed; a UID under a denied root and anything else is an error.
/// </summary>
internal static class BasicProfileRules
{
    /// <summary>The rule for <paramref name="row"/>.</summary>
    public static AuditRule For(BasicProfileRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new AuditRule(
            "D-E1-" + row.Keyword, RuleCategory.Deidentification, SeverityOf(row), RuleScope.Instance,
            Describe(row), "PS3.15 Table E.1-1 " + DicomTagText(row));
    }

    /// <summary>The default severity of <paramref name="row"/>'s rule.</summary>
    public static Severity SeverityOf(BasicProfileRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.Basic is ProfileAction.U or ProfileAction.XZU) return Severity.Error;
        if (row.RetainableByOption) return Severity.Warning;
        return row.Tag >> 16 == 0x0010 ? Severity.Critical : Severity.Error;
    }

    private static string Describe(BasicProfileRow row)
    {
        var what = row.Basic switch
        {
            ProfileAction.X => "must be removed",
            ProfileAction.Z => "must be empty or a dummy value",
            ProfileAction.D => "must hold a dummy value",
            ProfileAction.ZD or ProfileAction.XZ or ProfileAction.XD or ProfileAction.XZD => "must be removed, empty or a dummy value",
            ProfileAction.U => "must hold a replaced UID (checked against the denied UID roots)",
            ProfileAction.XZU => "must be removed or hold only replaced UIDs",
            ProfileAction.K => "may be kept",
            _ => "must be cleaned",
        };
        return row.Keyword + " " + DicomTagText(row) + " " + what + " unless a claimed option keeps it.";
    }

    private static string DicomTagText(BasicProfileRow row)
    {
        var hex = row.Tag.ToString("X8", System.Globalization.CultureInfo.InvariantCulture).ToCharArray();
        for (var i = 0; i < 8; i++)
        {
            if (((row.Mask >> (28 - (4 * i))) & 0xF) == 0) hex[i] = 'x';
        }

        return "(" + new string(hex, 0, 4) + "," + new string(hex, 4, 4) + ")";
    }
}
