using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Nccid.Batch.Audit;
using Nccid.Batch.Clinical;

namespace Nccid.Batch.Releases;

/// <summary>
/// The release's documents for people: <c>README.md</c> (the data dictionary, generated from the schemas),
/// <c>summary.json</c> and <c>report.html</c> (self-contained, inline SVG charts, no network). Counts below the
/// job's disclosure threshold are suppressed in both, as the NCCID's published statistics were.
/// </summary>
public static class ReleaseDocuments
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes the three documents into <paramref name="releaseDirectory"/>.</summary>
    public static void Write(string releaseDirectory, string releaseId, ReleaseJob job, IReadOnlyList<ReleaseManifest.TableEntry> tables,
        AuditSummary audit, JoinResult joined, PatientTally patients)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(joined);
        ArgumentNullException.ThrowIfNull(patients);
        var threshold = job.DisclosureThreshold;
        var sections = new List<(string Title, IReadOnlyList<(string Label, long Count)> Counts)>
        {
            ("Findings by rule", audit.FindingsByRule.Select(kv => (kv.Key, kv.Value)).ToArray()),
        };
        sections.AddRange(patients.Sections);
        sections.Add(("Studies by month", joined.Studies.ByMonth));
        sections.Add(("Studies by modality", joined.Studies.ByModality));
        sections.Add(("Storage by modality (MB)", joined.Studies.MegabytesByFirstModality));
        var fieldCompleteness = patients.Completeness;

        File.WriteAllText(Path.Combine(releaseDirectory, "README.md"), Readme(releaseId, tables), Utf8NoBom);
        WriteSummaryJson(Path.Combine(releaseDirectory, "summary.json"), releaseId, threshold, tables, audit, sections, fieldCompleteness);
        File.WriteAllText(Path.Combine(releaseDirectory, "report.html"), Html(releaseId, threshold, tables, audit, sections, fieldCompleteness), Utf8NoBom);
    }

    /// <summary>
    /// What the documents count of the patients, kept as the records go past (the release does not hold them): the
    /// patients by centre, split, status, sex, age band, ethnicity, ITU admission, death and swab week, and how many
    /// have each clinical field filled, per centre.
    /// </summary>
    public sealed class PatientTally
    {
        private static readonly System.Reflection.PropertyInfo[] Fields = typeof(PatientRecord).GetProperties()
            .Where(p => p.Name is not ("Pseudonym" or "SourcePath" or "FlaggedFields" or "ExtraFields" or "FileCount")).ToArray();

        private static readonly (string Title, Func<PatientRecord, string?> Label)[] Counted =
        [
            ("Patients by centre", p => p.SubmittingCentre ?? "unknown"),
            ("Patients by split", p => p.Split ?? "unknown"),
            ("Patients by COVID status", p => p.Status ?? "unknown"),
            ("Patients by sex", p => p.Sex ?? "unknown"),
            ("Patients by age band", p => p.Age is { } a ? AgeBand(a) : "unknown"),
            ("Patients by ethnicity", p => p.EthnicGroup ?? p.Ethnicity ?? "unknown"),
            ("ITU admission", p => p.ItuAdmission switch { true => "yes", false => "no", _ => "unknown" }),
            ("Death", p => p.Death switch { true => "yes", false => "no", _ => "unknown" }),
            // Only the patients with a swab date are counted here.
            ("Swabs by week", p => p.SwabDate is { } d ? Week(d) : null),
        ];

        private readonly SortedDictionary<string, long>[] _counts = Counted.Select(_ => new SortedDictionary<string, long>(StringComparer.Ordinal)).ToArray();
        private readonly SortedDictionary<string, (long Total, long[] Filled)> _byCentre = new(StringComparer.Ordinal);

        /// <summary>Patients counted.</summary>
        public long Count { get; private set; }

        /// <summary>Counts <paramref name="patient"/>.</summary>
        public void Add(PatientRecord patient)
        {
            ArgumentNullException.ThrowIfNull(patient);
            Count++;
            for (var s = 0; s < Counted.Length; s++)
            {
                if (Counted[s].Label(patient) is { } label) _counts[s][label] = _counts[s].GetValueOrDefault(label) + 1;
            }

            var centre = patient.SubmittingCentre ?? "unknown";
            var (total, filled) = _byCentre.TryGetValue(centre, out var known) ? known : (0, new long[Fields.Length]);
            for (var f = 0; f < Fields.Length; f++)
            {
                if (Fields[f].GetValue(patient) is not null) filled[f]++;
            }

            _byCentre[centre] = (total + 1, filled);
        }

        /// <summary>The patient sections of the documents, each by label (ordinal).</summary>
        internal IEnumerable<(string Title, IReadOnlyList<(string Label, long Count)> Counts)> Sections =>
            Counted.Select((c, s) => (c.Title, (IReadOnlyList<(string, long)>)_counts[s].Select(kv => (kv.Key, kv.Value)).ToArray()));

        /// <summary>Patients with each clinical field filled, per centre (ordinal), fields in the record's order.</summary>
        internal IReadOnlyList<(string Centre, string Field, long Filled, long Total)> Completeness =>
            _byCentre.SelectMany(kv => Fields.Select((f, i) => (kv.Key, f.Name, kv.Value.Filled[i], kv.Value.Total))).ToArray();
    }

    /// <summary>A count, or null when it is below the threshold (and not zero): suppressed.</summary>
    public static long? Suppress(long count, int threshold) => count > 0 && count < threshold ? null : count;

    private static string AgeBand(int age) => age < 18 ? "0-17" : age >= 90 ? "90+" : string.Create(CultureInfo.InvariantCulture, $"{age / 10 * 10}-{(age / 10 * 10) + 9}");

    private static string Week(DateOnly d) => string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(d.ToDateTime(TimeOnly.MinValue))}-W{ISOWeek.GetWeekOfYear(d.ToDateTime(TimeOnly.MinValue)):00}");

    private static string Readme(string releaseId, IReadOnlyList<ReleaseManifest.TableEntry> tables)
    {
        var text = new StringBuilder();
        void Line(string line = "") => text.Append(line).Append('\n');
        Line($"# Release {releaseId}");
        Line();
        Line("Each folder is one table of Parquet part files; read the folder, e.g. in DuckDB:");
        Line();
        Line("```sql");
        Line("SELECT modality, covid_status, count(*) FROM read_parquet('imaging_outcomes/*.parquet') GROUP BY ALL;");
        Line("```");
        Line();
        Line("`manifest.json` lists every table's rows, schema and files with their SHA-256. `report.html` and `summary.json` summarise");
        Line("the release; counts below the disclosure threshold are suppressed there.");
        Line();
        foreach (var table in tables.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            Line($"## {table.Name} ({table.Rows.ToString("N0", CultureInfo.InvariantCulture)} rows)");
            Line();
            if (ReleaseTables.Descriptions.TryGetValue(table.Name, out var description)) Line(description);
            Line();
            Line("| Column | Type | Nullable | Description |");
            Line("|---|---|---|---|");
            var columns = ReleaseTables.All.First(t => t.Name == table.Name).Columns;
            foreach (var c in columns) Line($"| `{c.Name}` | {c.DuckDbTypeName} | {(c.Nullable ? "yes" : "no")} | {c.Description.Replace("|", "\\|", StringComparison.Ordinal)} |");
            Line();
        }

        return text.ToString();
    }

    private static void WriteSummaryJson(string path, string releaseId, int threshold, IReadOnlyList<ReleaseManifest.TableEntry> tables, AuditSummary audit,
        List<(string Title, IReadOnlyList<(string Label, long Count)> Counts)> sections, IReadOnlyList<(string Centre, string Field, long Filled, long Total)> completeness)
    {
        using var stream = File.Create(path);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        void Number(string name, long count)
        {
            if (Suppress(count, threshold) is { } shown) w.WriteNumber(name, shown);
            else w.WriteString(name, "<" + threshold.ToString(CultureInfo.InvariantCulture));
        }

        w.WriteStartObject();
        w.WriteString("release_id", releaseId);
        w.WriteNumber("disclosure_threshold", threshold);
        w.WriteStartObject("table_rows");
        foreach (var t in tables.OrderBy(t => t.Name, StringComparer.Ordinal)) w.WriteNumber(t.Name, t.Rows);
        w.WriteEndObject();
        w.WriteStartObject("findings_by_rule");
        foreach (var (rule, count) in audit.FindingsByRule) w.WriteNumber(rule, count);
        w.WriteEndObject();
        w.WriteBoolean("gate_passed", audit.GatePassed);

        // Files, not patients: never suppressed, so that a release lacking objects it could not read says so.
        w.WriteNumber("dicom_files", audit.Scan.Files);
        w.WriteNumber("dicom_error_files", audit.Scan.Errors);
        w.WriteStartObject("dicom_errors_by_kind");
        foreach (var (kind, count) in audit.Scan.ErrorsByKind.OrderBy(kv => kv.Key.ToString(), StringComparer.Ordinal)) w.WriteNumber(kind.ToString(), count);
        w.WriteEndObject();
        Tables.ScanSummaryJson.Write(w, audit.Scan, "scan", runFigures: false);
        foreach (var (title, counts) in sections)
        {
            w.WriteStartObject(title);
            foreach (var (label, count) in counts) Number(label, count);
            w.WriteEndObject();
        }

        w.WriteStartObject("completeness");
        foreach (var centre in completeness.GroupBy(c => c.Centre, StringComparer.Ordinal))
        {
            w.WriteStartObject(centre.Key);
            foreach (var c in centre) w.WriteNumber(c.Field, c.Total == 0 ? 0 : Math.Round(100.0 * c.Filled / c.Total, 1));
            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static string Html(string releaseId, int threshold, IReadOnlyList<ReleaseManifest.TableEntry> tables, AuditSummary audit,
        List<(string Title, IReadOnlyList<(string Label, long Count)> Counts)> sections, IReadOnlyList<(string Centre, string Field, long Filled, long Total)> completeness)
    {
        var h = new StringBuilder();
        string E(string s) => WebUtility.HtmlEncode(s);
        h.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Release ").Append(E(releaseId)).Append("</title>");
        h.Append("<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}th:first-child,td:first-child{text-align:left}.bar{fill:#3b6ea5}.s{color:#888}</style></head><body>");
        h.Append("<h1>Release ").Append(E(releaseId)).Append("</h1>");
        h.Append("<p>Gate: <b>").Append(audit.GatePassed ? "passed" : "failed").Append("</b>. Counts below ").Append(threshold.ToString(CultureInfo.InvariantCulture))
            .Append(" are shown as &lt;").Append(threshold.ToString(CultureInfo.InvariantCulture)).Append(" (statistical disclosure control).</p>");
        h.Append("<h2>Tables</h2><table><tr><th>table</th><th>rows</th><th>files</th></tr>");
        foreach (var t in tables.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            h.Append("<tr><td>").Append(E(t.Name)).Append("</td><td>").Append(t.Rows.ToString("N0", CultureInfo.InvariantCulture)).Append("</td><td>").Append(t.Files.Count.ToString(CultureInfo.InvariantCulture)).Append("</td></tr>");
        }

        h.Append("</table>");
        h.Append("<h2>Findings</h2><p>Quality: ").Append(E(string.Join(", ", audit.QualityFindings.Select(kv => $"{kv.Key}: {kv.Value.ToString(CultureInfo.InvariantCulture)}"))))
            .Append(". De-identification: ").Append(E(string.Join(", ", audit.DeidFindings.Select(kv => $"{kv.Key}: {kv.Value.ToString(CultureInfo.InvariantCulture)}"))))
            .Append(". Quarantined instances: ").Append(audit.Quarantined.ToString(CultureInfo.InvariantCulture)).Append(".</p>");
        foreach (var (title, counts) in sections)
        {
            h.Append("<h2>").Append(E(title)).Append("</h2>");
            Chart(h, counts, threshold);
        }

        h.Append("<h2>Completeness of clinical fields by centre (% of patients)</h2><table><tr><th>field</th>");
        var centres = completeness.Select(c => c.Centre).Distinct().ToArray();
        foreach (var c in centres) h.Append("<th>").Append(E(c)).Append("</th>");
        h.Append("</tr>");
        foreach (var field in completeness.Select(c => c.Field).Distinct())
        {
            h.Append("<tr><td>").Append(E(field)).Append("</td>");
            foreach (var c in centres)
            {
                var cell = completeness.First(x => x.Centre == c && x.Field == field);
                h.Append("<td>").Append(cell.Total < threshold ? "<span class=\"s\">&lt;" + threshold.ToString(CultureInfo.InvariantCulture) + "</span>" : (100.0 * cell.Filled / cell.Total).ToString("N0", CultureInfo.InvariantCulture)).Append("</td>");
            }

            h.Append("</tr>");
        }

        h.Append("</table></body></html>\n");
        return h.ToString();
    }

    private static void Chart(StringBuilder h, IReadOnlyList<(string Label, long Count)> counts, int threshold)
    {
        if (counts.Count == 0)
        {
            h.Append("<p class=\"s\">No data.</p>");
            return;
        }

        const int rowHeight = 18;
        var max = Math.Max(1, counts.Max(c => Suppress(c.Count, threshold) ?? 0));
        h.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"").Append((counts.Count * rowHeight + 4).ToString(CultureInfo.InvariantCulture)).Append("\" role=\"img\">");
        for (var i = 0; i < counts.Count; i++)
        {
            var (label, count) = counts[i];
            var shown = Suppress(count, threshold);
            var y = i * rowHeight;
            var width = shown is { } v ? (int)(400.0 * v / max) : 0;
            h.Append("<text x=\"0\" y=\"").Append((y + 13).ToString(CultureInfo.InvariantCulture)).Append("\" font-size=\"12\">").Append(WebUtility.HtmlEncode(label)).Append("</text>");
            h.Append("<rect class=\"bar\" x=\"150\" y=\"").Append((y + 3).ToString(CultureInfo.InvariantCulture)).Append("\" width=\"").Append(width.ToString(CultureInfo.InvariantCulture)).Append("\" height=\"12\"/>");
            h.Append("<text x=\"").Append((155 + width).ToString(CultureInfo.InvariantCulture)).Append("\" y=\"").Append((y + 13).ToString(CultureInfo.InvariantCulture)).Append("\" font-size=\"12\">")
                .Append(shown is { } s ? s.ToString("N0", CultureInfo.InvariantCulture) : "&lt;" + threshold.ToString(CultureInfo.InvariantCulture)).Append("</text>");
        }

        h.Append("</svg>");
    }
}
