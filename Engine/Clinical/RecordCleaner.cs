using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Nccid.Batch.Clinical;

/// <summary>
/// Cleans one record: collects its fields (flattened), resolves each name through <see cref="ClinicalRules"/>,
/// applies the rules in table order and records every change. Not thread-safe; one instance per record.
/// </summary>
internal sealed class RecordCleaner
{
    private const string ExtraColumn = "extra_fields";

    private static readonly JsonWriterOptions ExtraWriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly int PseudonymIndex = IndexOfKind(FieldKind.Pseudonym);

    private readonly ClinicalSource _source;
    private readonly ClinicalLoadOptions _options;
    private readonly FieldValue?[] _values = new FieldValue?[ClinicalRules.Fields.Count];
    private readonly List<ExtraField> _extras = [];
    private readonly List<PendingChange> _changes = [];
    private readonly List<string> _flagged = [];

    public RecordCleaner(ClinicalSource source, ClinicalLoadOptions options)
    {
        _source = source;
        _options = options;
    }

    /// <summary>Cleans a JSON record; unparseable JSON and non-object roots are quarantined.</summary>
    public static ClinicalRecordResult CleanJson(ReadOnlyMemory<byte> json, ClinicalSource source, ClinicalLoadOptions options)
    {
        var cleaner = new RecordCleaner(source, options);

        // Spreadsheet tools and Windows editors save UTF-8 with a byte order mark, which JSON does not allow.
        if (json.Span.StartsWith("\uFEFF"u8)) json = json[3..];
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Quarantined(source, source.ExpectedPseudonym, "the JSON root is not an object");
            }

            cleaner.AddObject(document.RootElement, null);
        }
        catch (JsonException error)
        {
            // The position, not the message: the message may quote the offending characters.
            return Quarantined(source, source.ExpectedPseudonym, string.Create(CultureInfo.InvariantCulture,
                $"not valid JSON (line {error.LineNumber + 1}, byte {error.BytePositionInLine + 1} of that line)"));
        }

        return cleaner.Build();
    }

    /// <summary>
    /// Adds one scalar field; <paramref name="section"/> is the enclosing object's name, if any. A blank value adds
    /// nothing when the field already has one, and is replaced by a later non-blank one: in a CSV export every row
    /// has a cell for every name any row used, so most cells of variant names are blank.
    /// </summary>
    public void Add(string key, string? section, string path, ClinicalInput input, string rawJson, bool dropBlankUnknown = false)
    {
        var rule = Resolve(key, section);

        if (rule is null)
        {
            if (!(dropBlankUnknown && input.IsBlank))
            {
                _extras.Add(new ExtraField(path, rawJson, Unknown: true));
            }

            return;
        }

        var index = IndexOf(rule);
        if (_values[index] is not { } existing || (existing.Input.IsBlank && !input.IsBlank))
        {
            _values[index] = new FieldValue(key, input, path, rawJson);
        }
        else if (!input.IsBlank && !Reads(rule, existing.Input) && Reads(rule, input))
        {
            // The first field cannot be read and this one can: this one is used, the first set aside in its place.
            _values[index] = new FieldValue(key, input, path, rawJson);
            if (rule.IsKept) _extras.Add(new ExtraField(existing.Path, existing.RawJson, Unknown: false));
            Change(rule, "field.duplicate", "second field with the same meaning, the first unreadable",
                rule.IsKept ? "the second used; the first kept in extra_fields" : "the second used; the first dropped");
        }
        else if (!input.IsBlank)
        {
            // A field the record never keeps (a date or year of birth identifies) is not kept as an extra either.
            if (rule.IsKept) _extras.Add(new ExtraField(path, rawJson, Unknown: false));
            Change(rule, "field.duplicate", "second field with the same meaning", rule.IsKept ? "kept in extra_fields; the first used" : "dropped; the first used");
        }
    }

    /// <summary>Whether cleaning <paramref name="input"/> as <paramref name="rule"/>'s field gives a value; records nothing.</summary>
    private bool Reads(FieldRule rule, ClinicalInput input)
    {
        if (rule.Kind is not (FieldKind.Date or FieldKind.BirthDate) && input.Kind == ClinicalInputKind.Text && ValueDateCell.TrySplit(input.Text, out var value, out _))
        {
            input = ClinicalInput.FromText(ValueDateCell.IsPlaceholder(value) ? string.Empty : value);
        }

        return !input.IsBlank && rule.Kind switch
        {
            FieldKind.Date => DateNormaliser.Normalise(input, rule.MinDate, LatestDate()).HasValue,
            FieldKind.BirthDate => IsYear(input, out _) || DateNormaliser.Normalise(input, rule.MinDate, LatestDate()).HasValue,
            FieldKind.Flag => FlagNormaliser.Normalise(input).HasValue,
            FieldKind.Sex => SexNormaliser.Normalise(input).HasValue,
            FieldKind.Ethnicity => EthnicityNormaliser.Normalise(input).HasValue,
            FieldKind.Smoking => SmokingNormaliser.Normalise(input).HasValue,
            FieldKind.TestResult => TestResultNormaliser.Normalise(input).HasValue,
            FieldKind.TestType => TestTypeNormaliser.Normalise(input).HasValue,
            FieldKind.FiO2 => FiO2Normaliser.Normalise(input).HasValue,
            FieldKind.Decimal => NumberNormaliser.Normalise(input, rule.Units).HasValue,
            FieldKind.Integer => (rule.Column == "systolic_bp" && BloodPressure.TrySplit(input, out _, out _)) || NumberNormaliser.Normalise(input, rule.Units).HasValue,
            FieldKind.BloodPressure => BloodPressure.TrySplit(input, out _, out _),
            FieldKind.BirthYear => NumberNormaliser.Normalise(input, []).HasValue,
            _ => true,
        };
    }

    /// <summary>
    /// The field a name stands for. The section's name first: {"ITU": {"Admission date": ...}} is the ITU admission's
    /// date, not the hospital's. A section about another swab or visit ("Second swab") lends its fields to no column.
    /// </summary>
    private static FieldRule? Resolve(string key, string? section)
    {
        var rule = section is null ? null : ClinicalRules.Resolve(section + " " + key);
        return rule is null && (section is null || !IsAnotherOccasion(section)) ? ClinicalRules.Resolve(key) : rule;
    }

    private static bool IsAnotherOccasion(string section)
    {
        var words = TextKey.Fold(section);
        return words.StartsWith("second", StringComparison.Ordinal) || words.StartsWith("2nd", StringComparison.Ordinal)
            || words.StartsWith("repeat", StringComparison.Ordinal) || words.StartsWith("previous", StringComparison.Ordinal)
            || words.StartsWith("prior", StringComparison.Ordinal);
    }

    /// <summary>Builds the record, or the quarantine entry when the pseudonym is missing or wrong.</summary>
    public ClinicalRecordResult Build()
    {
        var pseudonym = _values[PseudonymIndex] is { } given && !given.Input.IsBlank ? given.Input.Text.Trim() : null;
        if (pseudonym is null)
        {
            return Quarantined(_source, _source.ExpectedPseudonym, "no pseudonym in the record");
        }

        if (_source.ExpectedPseudonym is { } expected && !string.Equals(expected, pseudonym, StringComparison.Ordinal))
        {
            return Quarantined(_source, expected, "the pseudonym in the record differs from the " + _source.NameKind);
        }

        var record = new PatientRecord
        {
            Pseudonym = pseudonym,
            SourcePath = _source.RelativePath,
            Split = _source.Split,
            Status = _source.Status,
        };
        int? pendingDiastolic = null;
        DateOnly? birthDate = null;
        int? birthYear = null;
        for (var i = 0; i < _values.Length; i++)
        {
            if (i == PseudonymIndex || _values[i] is not { } value)
            {
                continue;
            }

            var rule = ClinicalRules.Fields[i];
            if (!string.Equals(value.Key, rule.CanonicalName, StringComparison.Ordinal))
            {
                Change(rule, "field.name", "variant field name", "canonical field name");
            }

            var input = SplitValueDateCell(rule, value.Input);
            switch (rule.Kind)
            {
                case FieldKind.Text:
                    Apply(rule, record, CleanText(input));
                    break;
                case FieldKind.Date:
                    Apply(rule, record, DateNormaliser.Normalise(input, rule.MinDate, LatestDate()));
                    break;
                case FieldKind.Flag:
                    Apply(rule, record, FlagNormaliser.Normalise(input));
                    break;
                case FieldKind.Sex:
                    Apply(rule, record, SexNormaliser.Normalise(input));
                    break;
                case FieldKind.Ethnicity:
                    Apply(rule, record, EthnicityNormaliser.Normalise(input));
                    break;
                case FieldKind.Smoking:
                    Apply(rule, record, SmokingNormaliser.Normalise(input));
                    break;
                case FieldKind.TestResult:
                    Apply(rule, record, TestResultNormaliser.Normalise(input));
                    break;
                case FieldKind.TestType:
                    Apply(rule, record, TestTypeNormaliser.Normalise(input));
                    break;
                case FieldKind.FiO2:
                    ApplyNumber(rule, record, FiO2Normaliser.Normalise(input), integer: false);
                    break;
                case FieldKind.Decimal:
                    ApplyNumber(rule, record, NumberNormaliser.Normalise(input, rule.Units), integer: false);
                    break;
                case FieldKind.Integer when rule.Column == "systolic_bp" && BloodPressure.TrySplit(input, out var systolic, out var diastolic):
                    ApplyNumber(rule, record, systolic, integer: true);
                    pendingDiastolic = diastolic.HasValue ? (int)Math.Round(diastolic.Value, MidpointRounding.AwayFromZero) : null;
                    break;
                case FieldKind.Integer:
                    ApplyNumber(rule, record, NumberNormaliser.Normalise(input, rule.Units), integer: true);
                    break;
                case FieldKind.BloodPressure:
                    ApplyBloodPressure(rule, input, record);
                    break;
                case FieldKind.BirthYear:
                    birthYear = ReadBirthYear(rule, input);
                    break;
                case FieldKind.BirthDate when IsYear(input, out var year):
                    // "Date of birth": "1950" is a year of birth, not Excel's day 1,950 (1905-05-03).
                    birthYear ??= year;
                    Change(rule, "birth_date.year_only", "a year in the date-of-birth field", "used as the year of birth");
                    break;
                case FieldKind.BirthDate:
                    birthDate = ReadBirthDate(rule, input);
                    break;
                default:
                    throw new InvalidOperationException($"No cleaning for field kind {rule.Kind}.");
            }
        }

        if (pendingDiastolic is { } pending)
        {
            // The systolic field held both halves; a diastolic field with a readable value wins, a blank or unreadable one does not.
            UseDiastolicHalf(ClinicalRules.ForColumn("systolic_bp"), record, pending);
        }

        DeriveAge(record, birthYear, birthDate);
        if (record.SubmittingCentre is null && _source.Site is not null)
        {
            record.SubmittingCentre = _source.Site;
        }

        record.FlaggedFields = _flagged.Count == 0 ? [] : [.. _flagged];
        record.ExtraFields = ExtraFieldsJson();
        var changes = new CleaningChange[_changes.Count];
        for (var i = 0; i < changes.Length; i++)
        {
            var change = _changes[i];
            changes[i] = new CleaningChange(pseudonym, _source.RelativePath, change.Field, change.RuleId, change.Before, change.After);
        }

        return new ClinicalRecordResult(record, changes, null);
    }

    private static ClinicalRecordResult Quarantined(ClinicalSource source, string? pseudonym, string reason) =>
        new(null, [], new ClinicalQuarantineEntry(source.RelativePath, pseudonym, [reason]));

    private static int IndexOfKind(FieldKind kind)
    {
        for (var i = 0; i < ClinicalRules.Fields.Count; i++)
        {
            if (ClinicalRules.Fields[i].Kind == kind)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"The rule table has no {kind} field.");
    }

    private static int IndexOf(FieldRule rule)
    {
        for (var i = 0; i < ClinicalRules.Fields.Count; i++)
        {
            if (ReferenceEquals(ClinicalRules.Fields[i], rule))
            {
                return i;
            }
        }

        throw new InvalidOperationException($"Rule '{rule.CanonicalName}' is not in the table.");
    }

    private static Normalised<string> CleanText(ClinicalInput input)
    {
        if (input.Kind == ClinicalInputKind.Null)
        {
            return Normalised<string>.Blank("text.null", "null");
        }

        if (input.IsBlank)
        {
            return Normalised<string>.Blank("text.blank", "blank text");
        }

        var trimmed = input.Text.Trim();
        return input.Kind != ClinicalInputKind.Text
            ? Normalised<string>.Changed(trimmed, "text.from_json_value", "JSON number or boolean", "text")
            : trimmed.Length == input.Text.Length
                ? Normalised<string>.Same(trimmed, "text", "text")
                : Normalised<string>.Changed(trimmed, "text.trimmed", "text with surrounding spaces", "text");
    }

    private void AddObject(JsonElement element, string? prefix)
    {
        foreach (var property in element.EnumerateObject())
        {
            var path = prefix is null ? property.Name : prefix + "." + property.Name;
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.Object:
                    AddObject(property.Value, path);
                    break;
                case JsonValueKind.Array when Resolve(property.Name, Section(prefix)) is { } known:
                    // A list where one value belongs: kept aside as an extra, unless the field is never kept (a birth date).
                    if (known.IsKept) _extras.Add(new ExtraField(path, property.Value.GetRawText(), Unknown: false));
                    Change(known, "value.not_scalar", "a list instead of one value", known.IsKept ? "kept in extra_fields; the field left empty" : "dropped");
                    break;
                case JsonValueKind.Array:
                    _extras.Add(new ExtraField(path, property.Value.GetRawText(), Unknown: true));
                    break;
                default:
                    Add(property.Name, Section(prefix), path, ClinicalInput.FromJson(property.Value)!.Value, property.Value.GetRawText());
                    break;
            }
        }
    }

    private static string? Section(string? prefix) => prefix is null ? null : prefix[(prefix.LastIndexOf('.') + 1)..];

    private DateOnly? LatestDate() =>
        _source.FileDate is { } fileDate ? fileDate.AddDays(_options.FutureDateToleranceDays) : _options.LatestDateWithoutFileDate;

    private ClinicalInput SplitValueDateCell(FieldRule rule, ClinicalInput input)
    {
        // Dates read the cell's date themselves; a birth date's cell must not leave its date behind as an extra.
        if (rule.Kind is FieldKind.Date or FieldKind.BirthDate || input.Kind != ClinicalInputKind.Text || !ValueDateCell.TrySplit(input.Text, out var value, out var dateText))
        {
            return input;
        }

        var date = DateNormaliser.Normalise(ClinicalInput.FromText(dateText), ClinicalRules.EarliestEventDate, LatestDate());
        if (date.HasValue)
        {
            var column = rule.IsKept ? rule.Column.Split(',')[0] : TextKey.Fold(rule.CanonicalName);
            _extras.Add(new ExtraField(column + "_date", "\"" + date.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "\"", Unknown: false));
        }

        Change(rule, "cell.value_date", "[value] - date cell",
            date.HasValue ? "value; its date kept in extra_fields as <column>_date" : "value; its date dropped (" + date.OutputClass + ")");
        return ClinicalInput.FromText(ValueDateCell.IsPlaceholder(value) ? string.Empty : value);
    }

    private void Apply<T>(FieldRule rule, PatientRecord record, Normalised<T> result)
    {
        Record(rule, result);
        if (result.HasValue)
        {
            rule.Assign!(record, result.Value);
        }
    }

    private void ApplyNumber(FieldRule rule, PatientRecord record, Normalised<double> result, bool integer)
    {
        Record(rule, result);
        if (!result.HasValue)
        {
            return;
        }

        var value = result.Value;
        if (integer)
        {
            var rounded = Math.Round(value, MidpointRounding.AwayFromZero);
            if (rounded != value)
            {
                Change(rule, "number.rounded", "number with a fraction", "nearest whole number");
            }

            if (rounded is < int.MinValue or > int.MaxValue)
            {
                Change(rule, "number.overflow", "number too large for the column", "null (not a plausible value)");
                return;
            }

            rule.Assign!(record, (int)rounded);
        }
        else
        {
            rule.Assign!(record, value);
        }

        CheckRange(rule, value);
    }

    private void ApplyBloodPressure(FieldRule rule, ClinicalInput input, PatientRecord record)
    {
        if (!BloodPressure.TrySplit(input, out var systolic, out var diastolic))
        {
            Record(rule, input.IsBlank
                ? Normalised<double>.Blank("bp.blank", input.Kind == ClinicalInputKind.Null ? "null" : "blank text")
                : Normalised<double>.Rejected("bp.unreadable", "text", "not systolic/diastolic"));
            return;
        }

        // The separate fields come first in the table, so the record already holds what they gave: a combined value
        // fills a half they left blank or unreadable, and is reported as ignored where they gave one.
        if (record.SystolicBp is null)
        {
            ApplyNumber(ClinicalRules.ForColumn("systolic_bp"), record, systolic, integer: true);
        }
        else
        {
            Change(rule, "bp.superseded", "systolic half of a combined value", "ignored; the systolic field used");
        }

        if (diastolic is { } value) UseDiastolicHalf(rule, record, (int)Math.Round(value, MidpointRounding.AwayFromZero));
    }

    private void UseDiastolicHalf(FieldRule combined, PatientRecord record, int value)
    {
        if (record.DiastolicBp is null)
        {
            record.DiastolicBp = value;
            CheckRange(ClinicalRules.ForColumn("diastolic_bp"), value);
        }
        else
        {
            Change(combined, "bp.superseded", "diastolic half of a combined value", "ignored; the diastolic field used");
        }
    }

    private int? ReadBirthYear(FieldRule rule, ClinicalInput input)
    {
        var year = NumberNormaliser.Normalise(input, []);
        Record(rule, year);
        if (!year.HasValue)
        {
            return null;
        }

        if (year.Value != Math.Floor(year.Value) || year.Value < rule.Min || year.Value > rule.Max)
        {
            Change(rule, "birth_year.implausible", "number outside the plausible years of birth", "null (not used)");
            return null;
        }

        return (int)year.Value;
    }

    /// <summary>Four digits within the plausible years of birth (those the year-of-birth field accepts).</summary>
    private static bool IsYear(ClinicalInput input, out int year)
    {
        year = 0;
        var text = input.Text.Trim();
        if (input.Kind is not (ClinicalInputKind.Number or ClinicalInputKind.Text) || text.Length != 4 || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out year))
        {
            return false;
        }

        var years = ClinicalRules.Fields[IndexOfKind(FieldKind.BirthYear)];
        return year >= years.Min && year <= years.Max;
    }

    private DateOnly? ReadBirthDate(FieldRule rule, ClinicalInput input)
    {
        var date = DateNormaliser.Normalise(input, rule.MinDate, LatestDate());
        if (!date.HasValue)
        {
            Record(rule, date);
        }

        return date.HasValue ? date.Value : null;
    }

    private void DeriveAge(PatientRecord record, int? birthYear, DateOnly? birthDate)
    {
        var birthYearRule = ClinicalRules.Fields[IndexOfKind(FieldKind.BirthYear)];
        var birthDateRule = ClinicalRules.Fields[IndexOfKind(FieldKind.BirthDate)];
        var ageRule = ClinicalRules.ForColumn("age");
        var reference = record.SwabDate ?? _source.FileDate;
        if (record.Age is null && reference is { } on && birthDate is { } born)
        {
            var age = on.Year - born.Year - (on < born.AddYears(on.Year - born.Year) ? 1 : 0);
            record.Age = age;
            Change(ageRule, "age.from_birth_date", "date of birth", "age in whole years at the swab date; date of birth not kept");
            CheckRange(ageRule, age);
        }
        else if (record.Age is null && reference is { } year && birthYear is { } yob)
        {
            record.Age = year.Year - yob;
            Change(ageRule, "age.from_birth_year", "year of birth", "age reached in the swab's calendar year; year of birth not kept");
            CheckRange(ageRule, record.Age.Value);
        }
        else
        {
            if (birthDate is not null)
            {
                Change(birthDateRule, "birth_date.not_kept", "date of birth", "not kept (age given or no reference date)");
            }

            if (birthYear is not null)
            {
                Change(birthYearRule, "birth_year.not_kept", "year of birth", "not kept (age given or no reference date)");
            }
        }

        if (record.Age is not null)
        {
            record.AgeSource = "clinical";
        }
    }

    private void CheckRange(FieldRule rule, double value)
    {
        if ((rule.Min is { } min && value < min) || (rule.Max is { } max && value > max))
        {
            var column = rule.Column;
            if (!_flagged.Contains(column))
            {
                _flagged.Add(column);
            }

            Change(rule, "range.flagged", "value outside the plausible range", "kept and listed in flagged_fields");
        }
    }

    private void Record<T>(FieldRule rule, Normalised<T> result)
    {
        var recordIt = result.Outcome switch
        {
            NormaliseOutcome.Unchanged => false,
            NormaliseOutcome.Blank => result.InputClass != "null",
            _ => true,
        };
        if (recordIt)
        {
            Change(rule, result.RuleId, result.InputClass, result.OutputClass);
        }
    }

    private void Change(FieldRule rule, string ruleId, string before, string after) =>
        _changes.Add(new PendingChange(rule.IsKept ? rule.Column : TextKey.Fold(rule.CanonicalName), ruleId, before, after));

    private string? ExtraFieldsJson()
    {
        if (_extras.Count == 0)
        {
            return null;
        }

        var written = new HashSet<string>(StringComparer.Ordinal);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, ExtraWriterOptions))
        {
            writer.WriteStartObject();
            foreach (var extra in _extras)
            {
                if (IdentifyingExtras.Looks(extra.Key, extra.Json))
                {
                    // Published as submitted, so never a field that names or holds an identifier.
                    _changes.Add(new PendingChange(ExtraColumn, "field.identifying", "a field whose name or value looks identifying", "dropped"));
                    continue;
                }

                // A name seen twice (the same unknown field in two sections' flattening, or twice in one object)
                // gets a suffix: duplicate names in one JSON object are not portable.
                var name = extra.Key;
                for (var n = 2; !written.Add(name); n++)
                {
                    name = extra.Key + "#" + n.ToString(CultureInfo.InvariantCulture);
                }

                writer.WritePropertyName(name);
                writer.WriteRawValue(extra.Json, skipInputValidation: false);
                if (extra.Unknown)
                {
                    _changes.Add(new PendingChange(ExtraColumn, "field.unknown", "unrecognised field", "kept in extra_fields"));
                }
            }

            writer.WriteEndObject();
        }

        return written.Count == 0 ? null : Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private readonly record struct ExtraField(string Key, string Json, bool Unknown);

    private readonly record struct FieldValue(string Key, ClinicalInput Input, string Path, string RawJson);

    private readonly record struct PendingChange(string Field, string RuleId, string Before, string After);
}
