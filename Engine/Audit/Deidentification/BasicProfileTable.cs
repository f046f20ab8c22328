using System.Collections.Frozen;
using System.Globalization;

namespace Nccid.Batch.Audit.Deidentification;

/// <summary>
/// PS3.15 Table E.1-1, read once from <c>basic-profile.csv</c> (embedded in the assembly) into a frozen lookup by
/// tag; the three repeating-group rows (curves and overlays) are matched by mask.
/// </summary>
internal sealed class BasicProfileTable
{
    private const string ResourceName = "Nccid.Batch.Audit.Deidentification.basic-profile.csv";
    private static readonly Lazy<BasicProfileTable> Loaded = new(Load);

    private readonly FrozenDictionary<uint, BasicProfileRow> _byTag;
    private readonly BasicProfileRow[] _masked;

    private BasicProfileTable(IReadOnlyList<BasicProfileRow> rows)
    {
        Rows = rows;
        var exact = new Dictionary<uint, BasicProfileRow>();
        var masked = new List<BasicProfileRow>();
        foreach (var row in rows)
        {
            if (row.Mask == uint.MaxValue) exact.Add(row.Tag, row);
            else masked.Add(row);
        }

        _byTag = exact.ToFrozenDictionary();
        _masked = [.. masked];
        ByKeyword = rows.ToFrozenDictionary(r => r.Keyword, StringComparer.Ordinal);
    }

    /// <summary>The table.</summary>
    public static BasicProfileTable Instance => Loaded.Value;

    /// <summary>Every row, in tag order.</summary>
    public IReadOnlyList<BasicProfileRow> Rows { get; }

    /// <summary>Rows by keyword.</summary>
    public FrozenDictionary<string, BasicProfileRow> ByKeyword { get; }

    /// <summary>Finds the row for <paramref name="tag"/>.</summary>
    public bool TryFind(uint tag, out BasicProfileRow row)
    {
        if (_byTag.TryGetValue(tag, out row!)) return true;
        var high = tag >> 24;
        if (high is 0x50 or 0x60)
        {
            foreach (var candidate in _masked)
            {
                if ((tag & candidate.Mask) == candidate.Tag)
                {
                    row = candidate;
                    return true;
                }
            }
        }

        row = null!;
        return false;
    }

    /// <summary>Parses the table's text (the data file's format; lines starting with # are comments).</summary>
    /// <exception cref="FormatException">A row does not have the table's shape.</exception>
    public static BasicProfileTable Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var rows = new List<BasicProfileRow>();
        var header = true;
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line[0] == '#') continue;
            if (header)
            {
                header = false;
                continue;
            }

            var fields = line.Split(',');
            if (fields.Length != 13) throw new FormatException($"basic-profile.csv line {lineNumber}: expected 13 fields, found {fields.Length}.");
            var (tag, mask) = ParseTag(fields[0], lineNumber);
            var options = new ProfileAction[10];
            for (var i = 0; i < options.Length; i++) options[i] = ParseAction(fields[3 + i], lineNumber);
            var basic = ParseAction(fields[2], lineNumber);
            if (basic == ProfileAction.None) throw new FormatException($"basic-profile.csv line {lineNumber}: the basic action is empty.");
            rows.Add(new BasicProfileRow(tag, mask, fields[1], basic, options));
        }

        return new BasicProfileTable(rows);
    }

    private static BasicProfileTable Load()
    {
        using var stream = typeof(BasicProfileTable).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException("The embedded resource " + ResourceName + " is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }

    private static (uint Tag, uint Mask) ParseTag(string text, int lineNumber)
    {
        if (text.Length != 8) throw new FormatException($"basic-profile.csv line {lineNumber}: tag '{text}' is not 8 hex digits.");
        uint tag = 0, mask = 0;
        foreach (var c in text)
        {
            tag <<= 4;
            mask <<= 4;
            if (c is 'x' or 'X') continue;
            tag |= uint.Parse(c.ToString(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            mask |= 0xF;
        }

        return (tag, mask);
    }

    private static ProfileAction ParseAction(string text, int lineNumber) => text switch
    {
        "" => ProfileAction.None,
        "D" => ProfileAction.D,
        "Z" => ProfileAction.Z,
        "X" => ProfileAction.X,
        "K" => ProfileAction.K,
        "C" => ProfileAction.C,
        "U" => ProfileAction.U,
        "Z/D" => ProfileAction.ZD,
        "X/Z" => ProfileAction.XZ,
        "X/D" => ProfileAction.XD,
        "X/Z/D" => ProfileAction.XZD,
        "X/Z/U*" => ProfileAction.XZU,
        _ => throw new FormatException($"basic-profile.csv line {lineNumber}: unknown action '{text}'."),
    };
}
