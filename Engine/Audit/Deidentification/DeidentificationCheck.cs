using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Nccid.Batch.Dicom;

namespace Nccid.Batch.Audit.Deidentification;

/// <summary>
/// The de-identification audit of one instance, in one pass over every element at every depth: PS3.15 Table E.1-1
/// under the profile's options (one rule per row), private elements, the de-identification markers, and residual
/// identifiers in text (NHS and CHI numbers, postcodes, dates of birth, telephone numbers, e-mail addresses,
/// hospital numbers, person names). Findings say what was found and where, never the value.
/// </summary>
public sealed partial class DeidentificationCheck : IInstanceCheck
{
    private const uint PatientNameTag = 0x00100010;
    private const uint PatientIdTag = 0x00100020;
    private const uint PatientBirthDateTag = 0x00100030;

    [ThreadStatic]
    private static char[]? t_chars;

    private readonly FrozenDictionary<uint, ProfileEntry> _entries;
    private readonly ProfileEntry[] _masked;
    private readonly string[] _safeCreators;
    private readonly string[] _deniedRoots;
    private readonly bool _retainSafePrivate;
    private readonly NameMatcher _names;
    private readonly Regex? _hospitalNumber;

    /// <summary>Builds the check for <paramref name="profile"/>: the table resolved under its options, once.</summary>
    /// <exception cref="ArgumentException">The profile's hospital-number pattern is not a valid regular expression.</exception>
    public DeidentificationCheck(AuditProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var options = profile.Deidentification;
        var kept = KeptTags(options.KeepAttributes);
        var rules = new List<AuditRule>();
        var exact = new Dictionary<uint, ProfileEntry>();
        var masked = new List<ProfileEntry>();
        foreach (var row in BasicProfileTable.Instance.Rows)
        {
            var rule = BasicProfileRules.For(row);
            rules.Add(rule);
            var action = kept.Contains(row.Tag) ? ProfileAction.K : row.Resolve(options);
            var firstOfJanuary = row.Tag == PatientBirthDateTag && options.BirthDateAsFirstOfJanuary;
            var entry = new ProfileEntry(row, rule, action, row.Tag is PatientNameTag or PatientIdTag, firstOfJanuary);
            if (row.Mask == uint.MaxValue) exact.Add(row.Tag, entry);
            else masked.Add(entry);
        }

        rules.AddRange(DeidentificationRules.All);
        Rules = rules;
        _entries = exact.ToFrozenDictionary();
        _masked = [.. masked];
        _safeCreators = [.. options.SafePrivateCreators];
        _deniedRoots = [.. options.DeniedUidRoots];
        _retainSafePrivate = options.RetainSafePrivate;
        _names = new NameMatcher(options.Names);
        _hospitalNumber = options.HospitalNumberPattern is { } pattern
            ? new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100))
            : null;
    }

    /// <inheritdoc />
    public IReadOnlyList<AuditRule> Rules { get; }

    /// <inheritdoc />
    public void Check(InstanceContext context, FindingCollector findings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(findings);
        if (!context.Readable) return;
        var header = context.Header;
        var patientIdIndex = header.FindTopLevel(PatientIdTag);
        var patientId = patientIdIndex < 0 ? default : header.TrimmedValue(patientIdIndex);
        var pseudonym = context.Facts.FolderPseudonym;

        for (var i = 0; i < header.Count; i++)
        {
            ref readonly var e = ref header[i];
            if (e.IsItem) continue;
            var group = e.Tag >> 16;
            var isPrivate = (group & 1) == 1 && group > 7 && group != 0xFFFF;
            if (isPrivate)
            {
                CheckPrivate(header, i, findings);
            }
            else if (TryEntry(e.Tag, out var entry))
            {
                CheckAttribute(header, i, entry, pseudonym, patientId, findings);
            }

            if (IsText(e.VR) || (isPrivate && e.VR is DicomVR.None or DicomVR.UN && !e.IsSequence))
            {
                ScanText(header, i, isPrivate && !IsText(e.VR), pseudonym, patientId, findings);
            }
        }

        CheckMarkers(header, findings);
    }

    private static bool IsText(DicomVR vr) =>
        vr is DicomVR.LO or DicomVR.SH or DicomVR.ST or DicomVR.LT or DicomVR.UT or DicomVR.PN or DicomVR.UC;

    private static FrozenSet<uint> KeptTags(IReadOnlyList<string> keywords)
    {
        var tags = new HashSet<uint>();
        foreach (var keyword in keywords)
        {
            if (BasicProfileTable.Instance.ByKeyword.TryGetValue(keyword, out var row)) tags.Add(row.Tag);
            else if (DicomDictionary.TryGetTag(keyword, out var tag)) tags.Add(tag);
        }

        return tags.ToFrozenSet();
    }

    private bool TryEntry(uint tag, out ProfileEntry entry)
    {
        if (_entries.TryGetValue(tag, out entry!)) return true;
        if (tag >> 24 is 0x50 or 0x60)
        {
            foreach (var candidate in _masked)
            {
                if ((tag & candidate.Row.Mask) == candidate.Row.Tag)
                {
                    entry = candidate;
                    return true;
                }
            }
        }

        entry = null!;
        return false;
    }

    private void CheckAttribute(DicomHeader header, int index, ProfileEntry entry, string? pseudonym, ReadOnlySpan<byte> patientId, FindingCollector findings)
    {
        ref readonly var e = ref header[index];
        if (entry.FirstOfJanuaryOnly)
        {
            var date = e.IsSequence ? default : header.TrimmedValue(index);
            if (!date.IsEmpty && !IsFirstOfJanuary(date) && !DummyValues.IsDummy(date))
            {
                Report(findings, entry.Rule, header, index, Invariant($"birth date not 1 January of its year ({date.Length} chars)"));
            }

            return;
        }

        switch (entry.Action)
        {
            case ProfileAction.K or ProfileAction.C or ProfileAction.XZU or ProfileAction.None:
                return;
            case ProfileAction.X:
                if (e.IsSequence)
                {
                    var items = ItemCount(header, index);
                    if (items > 0) Report(findings, entry.Rule, header, index, Invariant($"sequence present ({items} items)"));
                }
                else if (!header.TrimmedValue(index).IsEmpty)
                {
                    Report(findings, entry.Rule, header, index, PresentDetail(header, index));
                }

                return;
            case ProfileAction.U:
                CheckUid(header, index, entry, findings);
                return;
        }

        // D, Z and the combinations: empty, the pseudonym or a placeholder satisfy them.
        if (e.IsSequence) return;
        var value = header.TrimmedValue(index);
        if (value.IsEmpty) return;
        if (entry.AllowsPseudonym && IsPseudonym(e.Tag, value, pseudonym, patientId)) return;
        if (DummyValues.IsDummy(value)) return;
        Report(findings, entry.Rule, header, index, PresentDetail(header, index));
    }

    /// <summary>
    /// Patient ID may hold the folder's pseudonym (any value when the layout gives none); Patient Name may hold
    /// the pseudonym or repeat the instance's Patient ID.
    /// </summary>
    private static bool IsPseudonym(uint tag, ReadOnlySpan<byte> value, string? pseudonym, ReadOnlySpan<byte> patientId)
    {
        if (DummyValues.EqualsText(value, pseudonym)) return true;
        return tag == PatientIdTag ? pseudonym is null : value.SequenceEqual(patientId);
    }

    private void CheckUid(DicomHeader header, int index, ProfileEntry entry, FindingCollector findings)
    {
        if (_deniedRoots.Length == 0 || header[index].IsSequence) return;
        var value = header.TrimmedValue(index);
        var position = 0;
        while (!value.IsEmpty)
        {
            position++;
            var separator = value.IndexOf((byte)'\\');
            var uid = (separator < 0 ? value : value[..separator]).Trim((byte)' ');
            foreach (var root in _deniedRoots)
            {
                if (uid.Length >= root.Length && Ascii.Equals(uid[..root.Length], root) && (uid.Length == root.Length || uid[root.Length] == (byte)'.'))
                {
                    Report(findings, entry.Rule, header, index, Invariant($"UID (value {position}) under a denied root"));
                    break;
                }
            }

            value = separator < 0 ? default : value[(separator + 1)..];
        }
    }

    private void CheckPrivate(DicomHeader header, int index, FindingCollector findings)
    {
        ref readonly var e = ref header[index];
        var element = e.Tag & 0xFFFF;

        // Group lengths and creators label the block; the elements in it carry the data.
        if (element < 0x1000) return;
        if (e.IsSequence ? ItemCount(header, index) == 0 : header.TrimmedValue(index).IsEmpty) return;
        var creator = FindCreator(header, index);
        if (_retainSafePrivate && creator >= 0 && IsSafeCreator(header.TrimmedValue(creator))) return;
        if (!_retainSafePrivate && creator >= 0)
        {
            Report(findings, DeidentificationRules.PrivatePresent, header, index, PrivateDetail(header, index, "private element present"));
            return;
        }

        Report(findings, DeidentificationRules.PrivateUnsafe, header, index,
            PrivateDetail(header, index, creator < 0 ? "private element without a creator" : "private element of a creator not listed as safe"));
    }

    /// <summary>The creator (gggg,00bb) of private element (gggg,bbxx) among its siblings, or -1.</summary>
    private static int FindCreator(DicomHeader header, int index)
    {
        ref readonly var e = ref header[index];
        var creatorTag = (e.Tag & 0xFFFF0000) | ((e.Tag >> 8) & 0xFF);
        var group = e.Tag >> 16;
        for (var j = index - 1; j >= 0; j--)
        {
            ref readonly var s = ref header[j];
            if (s.Parent != e.Parent || s.Depth != e.Depth) continue;
            if (s.Tag >> 16 != group) break;
            if (s.Tag == creatorTag) return j;
        }

        return -1;
    }

    private bool IsSafeCreator(ReadOnlySpan<byte> creator)
    {
        foreach (var safe in _safeCreators)
        {
            if (creator.Length == safe.Length && Ascii.Equals(creator, safe)) return true;
        }

        return false;
    }

    private static void CheckMarkers(DicomHeader header, FindingCollector findings)
    {
        var removed = header.FindTopLevel(0x00120062);
        if (removed < 0)
        {
            Report(findings, DeidentificationRules.IdentityRemoved, TagPath.Of(0x00120062), "absent");
        }
        else if (!header.TrimmedValue(removed).SequenceEqual("YES"u8))
        {
            Report(findings, DeidentificationRules.IdentityRemoved, TagPath.Of(header, removed), "not YES");
        }

        if (header.FindTopLevel(0x00120063) < 0 && header.FindTopLevel(0x00120064) < 0)
        {
            Report(findings, DeidentificationRules.Method, TagPath.Of(0x00120063), "neither the method nor its code sequence is present");
        }

        var burnedIn = header.FindTopLevel(0x00280301);
        if (burnedIn >= 0)
        {
            if (header.TrimmedValue(burnedIn).SequenceEqual("YES"u8))
            {
                Report(findings, DeidentificationRules.BurnedIn, TagPath.Of(header, burnedIn), "YES");
            }

            return;
        }

        var modality = header.FindTopLevel(0x00080060);
        if (modality >= 0 && header.TrimmedValue(modality) is var m && (m.SequenceEqual("CR"u8) || m.SequenceEqual("DX"u8)))
        {
            Report(findings, DeidentificationRules.BurnedInUnknown, TagPath.Of(0x00280301), "absent on a radiograph");
        }
    }

    private static int ItemCount(DicomHeader header, int sequence)
    {
        var count = 0;
        for (var j = sequence + 1; j < header.Count; j++)
        {
            ref readonly var s = ref header[j];
            if (s.Depth <= header[sequence].Depth) break;
            if (s.IsItem && s.Parent == sequence) count++;
        }

        return count;
    }

    private static bool IsFirstOfJanuary(ReadOnlySpan<byte> value) =>
        value.Length == 8 && value.Slice(4, 4).SequenceEqual("0101"u8) && DicomHeader.TryParseDate(value, out _);

    private static string PresentDetail(DicomHeader header, int index) => Invariant($"value present ({CharCount(header, index)} chars)");

    private static string PrivateDetail(DicomHeader header, int index, string what)
    {
        if (header[index].IsSequence) return Invariant($"{what} (sequence, {ItemCount(header, index)} items)");
        return Invariant($"{what} ({header.TrimmedValue(index).Length} bytes)");
    }

    private static int CharCount(DicomHeader header, int index)
    {
        var value = header.TrimmedValue(index);
        if (Ascii.IsValid(value)) return value.Length;
        var vr = header[index].VR;
        return DicomVRInfo.UsesSpecificCharacterSet(vr) ? header.CharacterSetAt(index).Decode(value, vr).Length : value.Length;
    }

    private static void Report(FindingCollector findings, AuditRule rule, DicomHeader header, int index, string detail) =>
        findings.Report(rule, TagPath.Of(header, index), detail);

    private static void Report(FindingCollector findings, AuditRule rule, string tagPath, string detail) =>
        findings.Report(rule, tagPath, detail);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
