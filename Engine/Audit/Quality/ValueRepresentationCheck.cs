using Nccid.Batch.Dicom;

namespace Nccid.Batch.Audit.Quality;

/// <summary>
/// Every element at every depth (file meta included) against its VR's syntax and length, its dictionary value
/// multiplicity, and the plausible range of dates. One pass over the element index; values are read as bytes and
/// nothing is allocated unless a finding is reported. Each (rule, tag path) is reported once per instance.
/// </summary>
internal sealed class ValueRepresentationCheck : IInstanceCheck
{
    private const byte Backslash = (byte)'\\';

    /// <inheritdoc />
    public IReadOnlyList<AuditRule> Rules { get; } =
    [
        QualityRules.InvalidDate, QualityRules.InvalidTime, QualityRules.InvalidDateTime, QualityRules.InvalidAge,
        QualityRules.InvalidUid, QualityRules.InvalidDecimal, QualityRules.InvalidInteger, QualityRules.InvalidCodeString,
        QualityRules.InvalidPersonName, QualityRules.ValueTooLong, QualityRules.InvalidTextCharacters,
        QualityRules.InvalidMultiplicity, QualityRules.InvalidBinaryLength, QualityRules.FutureDate, QualityRules.AncientDate,
    ];

    /// <inheritdoc />
    public void Check(InstanceContext context, FindingCollector findings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(findings);
        if (!context.Readable) return;
        var header = context.Header;
        var reporter = new Reporter(header, findings);
        for (var i = 0; i < header.Count; i++)
        {
            ref readonly var e = ref header[i];
            if (e.IsItem || e.IsSequence || e.HasUndefinedLength || (e.Flags & DicomElementFlags.Encapsulated) != 0) continue;
            if (e.VR is DicomVR.None or DicomVR.UN) continue;
            CheckElement(header, i, context.ReferenceDate, ref reporter);
        }
    }

    private static void CheckElement(DicomHeader header, int index, DateOnly today, ref Reporter reporter)
    {
        ref readonly var e = ref header[index];
        var vr = e.VR;
        var binarySize = DicomVRInfo.BinaryValueSize(vr);
        if (binarySize > 0)
        {
            if (e.Length % binarySize != 0)
            {
                reporter.Report(QualityRules.InvalidBinaryLength, index, "length " + e.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)
                    + " is not a multiple of " + binarySize.ToString(System.Globalization.CultureInfo.InvariantCulture) + " (" + DicomVRInfo.ToCode(vr) + ")");
                return;
            }

            if (vr is not DicomVR.OW and not DicomVR.OF and not DicomVR.OD and not DicomVR.OL and not DicomVR.OV)
            {
                CheckMultiplicity(header, index, (int)(e.Length / binarySize), ref reporter);
            }

            return;
        }

        if (!DicomVRInfo.IsString(vr)) return;
        var value = header.TrimmedValue(index);
        if (value.IsEmpty) return;

        if (DicomVRInfo.IsSingleValuedText(vr))
        {
            CheckLongText(header, index, vr, value, ref reporter);
            return;
        }

        var count = 0;
        var rest = value;
        while (true)
        {
            var sep = rest.IndexOf(Backslash);
            var one = sep < 0 ? rest : rest[..sep];
            count++;
            CheckValue(header, index, vr, one, today, ref reporter);
            if (sep < 0) break;
            rest = rest[(sep + 1)..];
        }

        CheckMultiplicity(header, index, count, ref reporter);
    }

    private static void CheckValue(DicomHeader header, int index, DicomVR vr, ReadOnlySpan<byte> raw, DateOnly today, ref Reporter reporter)
    {
        var v = raw.Trim((byte)' ');
        if (v.IsEmpty) return;
        switch (vr)
        {
            case DicomVR.DA:
                if (!VrSyntax.IsDate(v, out var year, out var month, out var day))
                {
                    reporter.Report(QualityRules.InvalidDate, index, "DA value is not YYYYMMDD");
                }
                else
                {
                    CheckDateRange(index, new DateOnly(year, month, day), today, ref reporter);
                }

                break;
            case DicomVR.DT:
                if (!VrSyntax.IsDateTime(v, out var dtYear, out var dtMonth, out var dtDay))
                {
                    reporter.Report(QualityRules.InvalidDateTime, index, "DT value is not YYYY[MM[DD[HH[MM[SS[.F]]]]]][&ZZXX]");
                }
                else if (dtYear >= 1)
                {
                    CheckDateRange(index, new DateOnly(dtYear, dtMonth, dtDay), today, ref reporter);
                }

                break;
            case DicomVR.TM:
                if (!VrSyntax.IsTime(v)) reporter.Report(QualityRules.InvalidTime, index, "TM value is not HH[MM[SS[.F]]]");
                break;
            case DicomVR.AS:
                if (!VrSyntax.IsAge(v)) reporter.Report(QualityRules.InvalidAge, index, "AS value is not nnnD, nnnW, nnnM or nnnY");
                break;
            case DicomVR.UI:
                // Trailing NUL padding is already gone; a space inside is an error like any other character.
                if (!VrSyntax.IsUid(raw)) reporter.Report(QualityRules.InvalidUid, index, "UI value is not digits and dots of at most 64 characters without zero-led components");
                break;
            case DicomVR.DS:
                if (!VrSyntax.IsDecimal(v)) reporter.Report(QualityRules.InvalidDecimal, index, "DS value is not a decimal number of at most 16 characters");
                break;
            case DicomVR.IS:
                if (!VrSyntax.IsInteger(v)) reporter.Report(QualityRules.InvalidInteger, index, "IS value is not a 32-bit integer of at most 12 characters");
                break;
            case DicomVR.CS:
                if (!VrSyntax.IsCodeString(v)) reporter.Report(QualityRules.InvalidCodeString, index, "CS value has characters other than A-Z, 0-9, space and underscore, or more than 16");
                break;
            case DicomVR.PN:
                CheckPersonName(header, index, raw, ref reporter);
                break;
            case DicomVR.AE:
                CheckShortText(header, index, vr, raw, 16, ref reporter);
                break;
            case DicomVR.SH:
                CheckShortText(header, index, vr, raw, 16, ref reporter);
                break;
            case DicomVR.LO:
                CheckShortText(header, index, vr, raw, 64, ref reporter);
                break;
            case DicomVR.UC:
                if (VrSyntax.HasForbiddenControl(raw, longText: false)) reporter.Report(QualityRules.InvalidTextCharacters, index, "UC value holds control characters");
                break;
        }
    }

    private static void CheckDateRange(int index, DateOnly date, DateOnly today, ref Reporter reporter)
    {
        if (date > today) reporter.Report(QualityRules.FutureDate, index, "date after the run's reference date " + today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        else if (date.Year < 1900) reporter.Report(QualityRules.AncientDate, index, "date before 1900");
    }

    private static void CheckShortText(DicomHeader header, int index, DicomVR vr, ReadOnlySpan<byte> v, int maximum, ref Reporter reporter)
    {
        if (VrSyntax.HasForbiddenControl(v, longText: false))
        {
            reporter.Report(QualityRules.InvalidTextCharacters, index, DicomVRInfo.ToCode(vr) + " value holds control characters");
        }

        if (v.Length > maximum && CharacterCount(header, index, vr, v) > maximum)
        {
            reporter.Report(QualityRules.ValueTooLong, index, DicomVRInfo.ToCode(vr) + " value longer than " + maximum.ToString(System.Globalization.CultureInfo.InvariantCulture) + " characters");
        }
    }

    private static void CheckLongText(DicomHeader header, int index, DicomVR vr, ReadOnlySpan<byte> v, ref Reporter reporter)
    {
        if (vr == DicomVR.UR) return;
        if (VrSyntax.HasForbiddenControl(v, longText: true))
        {
            reporter.Report(QualityRules.InvalidTextCharacters, index, DicomVRInfo.ToCode(vr) + " value holds control characters");
        }

        var maximum = vr switch { DicomVR.ST => 1024, DicomVR.LT => 10240, _ => int.MaxValue };
        if (v.Length > maximum && CharacterCount(header, index, vr, v) > maximum)
        {
            reporter.Report(QualityRules.ValueTooLong, index, DicomVRInfo.ToCode(vr) + " value longer than " + maximum.ToString(System.Globalization.CultureInfo.InvariantCulture) + " characters");
        }
    }

    private static void CheckPersonName(DicomHeader header, int index, ReadOnlySpan<byte> v, ref Reporter reporter)
    {
        if (!VrSyntax.IsPersonNameStructure(v))
        {
            reporter.Report(QualityRules.InvalidPersonName, index, "PN value has more than 3 component groups or 5 components");
        }

        if (VrSyntax.HasForbiddenControl(v, longText: false))
        {
            reporter.Report(QualityRules.InvalidTextCharacters, index, "PN value holds control characters");
        }

        var rest = v;
        while (true)
        {
            var sep = rest.IndexOf((byte)'=');
            var group = sep < 0 ? rest : rest[..sep];
            if (group.Length > 64 && CharacterCount(header, index, DicomVR.PN, group) > 64)
            {
                reporter.Report(QualityRules.ValueTooLong, index, "PN component group longer than 64 characters");
                return;
            }

            if (sep < 0) return;
            rest = rest[(sep + 1)..];
        }
    }

    /// <summary>Characters, not bytes: VR lengths count characters, and UTF-8 or ISO 2022 text has more bytes than characters.</summary>
    private static int CharacterCount(DicomHeader header, int index, DicomVR vr, ReadOnlySpan<byte> v)
    {
        var characterSet = header.CharacterSetAt(index);
        return characterSet.IsSingleByteAsciiCompatible ? v.Length : characterSet.Decode(v, vr).Length;
    }

    private static void CheckMultiplicity(DicomHeader header, int index, int count, ref Reporter reporter)
    {
        ref readonly var e = ref header[index];
        if (!DicomDictionary.TryGet(e.Tag, out var entry)) return;

        // An element encoded with another VR than the dictionary's says nothing reliable about its values.
        if (e.VR != entry.VR && e.VR != entry.AlternateVR) return;
        if (!ValueMultiplicity.TryParse(entry.VM, out var vm) || vm.Allows(count)) return;
        reporter.Report(QualityRules.InvalidMultiplicity, index,
            count.ToString(System.Globalization.CultureInfo.InvariantCulture) + " values where the dictionary's VM is " + entry.VM);
    }

    /// <summary>Reports with the tag path and the attribute's keyword, once per (rule, path); allocates only when reporting.</summary>
    private struct Reporter(DicomHeader header, FindingCollector findings)
    {
        private HashSet<string>? _reported;

        public void Report(AuditRule rule, int index, string what)
        {
            var path = TagPath.Of(header, index);
            _reported ??= new HashSet<string>(StringComparer.Ordinal);
            if (!_reported.Add(rule.Id + " " + path)) return;
            var keyword = DicomDictionary.GetKeyword(header[index].Tag);
            findings.Report(rule, path, (keyword ?? "private attribute") + ": " + what + ".");
        }
    }
}
