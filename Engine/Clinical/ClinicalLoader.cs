using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Nccid.Batch.Clinical;

/// <summary>
/// Reads the clinical records under a root in either NCCID layout, plus CSV exports, and cleans them.
/// Only paths are gathered first (grouped by pseudonym, since the upload layout spreads one patient over
/// several date folders); then patients are processed one at a time in pseudonym order, and for each only the
/// newest readable file is opened. A newer file that cannot be cleaned is quarantined and the next newest used.
/// </summary>
public static class ClinicalLoader
{
    private static readonly JavaScriptEncoder CellEncoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>Reads and cleans every clinical record under <paramref name="root"/>.</summary>
    /// <exception cref="ArgumentException">The options are invalid (every problem is listed).</exception>
    /// <exception cref="DirectoryNotFoundException">The root does not exist.</exception>
    public static ClinicalDataset Load(string root, ClinicalLoadOptions options, CancellationToken ct)
    {
        var load = Begin(root, options, ct, keepRecords: true);
        var changes = new List<CleaningChange>();
        foreach (var chosen in load.Chosen(options, ct))
        {
            if (load.Take(chosen) is { } winner) changes.AddRange(winner.Changes);
        }

        return load.Dataset(changes);
    }

    /// <summary>
    /// Reads and cleans every clinical record under <paramref name="root"/> as <see cref="Load"/> does, but hands each
    /// patient's record and cleaning changes to <paramref name="onPatient"/> as soon as the patient is cleaned, in patient
    /// (ordinal pseudonym) order, and keeps neither: the dataset's <see cref="ClinicalDataset.Patients"/> and
    /// <see cref="ClinicalDataset.Changes"/> are empty. A record is about a kilobyte, a patient has several changes, and a
    /// collection has tens of thousands of patients.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid (every problem is listed).</exception>
    /// <exception cref="DirectoryNotFoundException">The root does not exist.</exception>
    public static async Task<ClinicalDataset> LoadAsync(string root, ClinicalLoadOptions options,
        Func<PatientRecord, IReadOnlyList<CleaningChange>, CancellationToken, ValueTask> onPatient, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(onPatient);
        var load = Begin(root, options, ct, keepRecords: false);
        foreach (var chosen in load.Chosen(options, ct))
        {
            if (load.Take(chosen) is { } winner) await onPatient(winner.Record!, winner.Changes, ct).ConfigureAwait(false);
        }

        return load.Dataset([]);
    }

    /// <summary>Checks the arguments, finds every patient's sources and reads the CSV exports.</summary>
    private static PatientsLoad Begin(string root, ClinicalLoadOptions options, CancellationToken ct, bool keepRecords)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid clinical load options: " + string.Join(" ", errors), nameof(options));
        }

        root = Path.GetFullPath(root);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"Clinical root '{root}' does not exist.");
        }

        var patients = new SortedDictionary<string, PatientSources>(StringComparer.Ordinal);
        var load = new PatientsLoad(root, keepRecords);
        var csvFiles = new List<string>();
        Discover(root, options, patients, load.Quarantine, csvFiles);

        foreach (var csv in csvFiles)
        {
            ct.ThrowIfCancellationRequested();
            ReadCsvInto(root, csv, options, patients, load.Quarantine);
            load.FilesRead++;
        }

        load.Ordered = [.. patients.Values];
        return load;
    }

    /// <summary>Patients cleaned at once, whose results wait to be taken in patient order.</summary>
    private const int PatientsPerWindow = 1024;

    /// <summary>
    /// What a load has found so far: the patients' sources, the records taken, the quarantine and the files read.
    /// Patients are cleaned a window at a time and taken in patient order, so memory holds one window's changes, and the
    /// records only when <paramref name="keepRecords"/> is set.
    /// </summary>
    private sealed class PatientsLoad(string root, bool keepRecords)
    {
        private readonly List<PatientRecord> _records = [];

        /// <summary>The clinical root, as a full path.</summary>
        public string Root { get; } = root;

        public List<ClinicalQuarantineEntry> Quarantine { get; } = [];

        public PatientSources[] Ordered { get; set; } = [];

        public int FilesRead { get; set; }

        /// <summary>
        /// Each patient's chosen record, in patient order. Each patient's files are read and cleaned apart from the others':
        /// several at once keep a cold disk busy and use every core; the results do not depend on the scheduling.
        /// </summary>
        public IEnumerable<(PatientSources Sources, ClinicalRecordResult? Winner, List<ClinicalQuarantineEntry>? Refused, int Read)> Chosen(
            ClinicalLoadOptions options, CancellationToken ct)
        {
            var ordered = Ordered;
            var window = new (ClinicalRecordResult? Winner, List<ClinicalQuarantineEntry>? Refused, int Read)[Math.Min(PatientsPerWindow, ordered.Length)];
            for (var start = 0; start < ordered.Length; start += window.Length)
            {
                var count = Math.Min(window.Length, ordered.Length - start);
                InParallel(count, ct, i =>
                {
                    List<ClinicalQuarantineEntry>? refused = null;
                    var read = 0;
                    var winner = Choose(Root, ordered[start + i], options, ref refused, ref read);
                    window[i] = (winner, refused, read);
                });
                for (var i = 0; i < count; i++)
                {
                    yield return (ordered[start + i], window[i].Winner, window[i].Refused, window[i].Read);
                    window[i] = default;
                }
            }
        }

        /// <summary>Takes one patient's outcome; returns the winning result, whose record is kept, or null when none was usable.</summary>
        public ClinicalRecordResult? Take((PatientSources Sources, ClinicalRecordResult? Winner, List<ClinicalQuarantineEntry>? Refused, int Read) chosen)
        {
            var (sources, winner, refused, read) = chosen;
            FilesRead += read;
            if (refused is not null)
            {
                Quarantine.AddRange(refused);
            }

            if (winner is null)
            {
                return null;
            }

            var record = winner.Record!;
            record.FirstFileDate = sources.First;
            record.LatestFileDate = sources.Last;
            record.FileCount = sources.Count;
            if (keepRecords) _records.Add(record);
            return winner;
        }

        public ClinicalDataset Dataset(IReadOnlyList<CleaningChange> changes)
        {
            Quarantine.Sort(static (a, b) => string.CompareOrdinal(a.Path, b.Path));
            return new ClinicalDataset(_records, changes, Quarantine, FilesRead);
        }
    }

    /// <summary>
    /// Reads and cleans one JSON record, exactly as <see cref="Load"/> would if it were the patient's newest file
    /// (without the dates and counts that need the patient's other files).
    /// </summary>
    public static ClinicalRecordResult ReadFile(string root, string relativePath, ClinicalLoadOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        ArgumentException.ThrowIfNullOrWhiteSpace(relativePath);
        ArgumentNullException.ThrowIfNull(options);
        relativePath = relativePath.Replace('\\', '/');
        if (!ClinicalPaths.TryDescribe(relativePath, out var source, out var reason))
        {
            return new ClinicalRecordResult(null, [], new ClinicalQuarantineEntry(relativePath, null, [reason]));
        }

        return RecordCleaner.CleanJson(File.ReadAllBytes(Path.Combine(root, relativePath)), source, options);
    }

    /// <summary>Reads and cleans every row of one CSV export (header row of field names, one patient per row).</summary>
    public static IReadOnlyList<ClinicalRecordResult> ReadCsv(string root, string relativePath, ClinicalLoadOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        ArgumentException.ThrowIfNullOrWhiteSpace(relativePath);
        ArgumentNullException.ThrowIfNull(options);
        var results = new List<ClinicalRecordResult>();
        foreach (var (_, result) in CsvRows(root, relativePath.Replace('\\', '/'), options))
        {
            results.Add(result);
        }

        return results;
    }

    private static void Discover(
        string root, ClinicalLoadOptions options, SortedDictionary<string, PatientSources> patients, List<ClinicalQuarantineEntry> quarantine,
        List<string> csvFiles)
    {
        foreach (var split in ClinicalPaths.Splits)
        {
            var data = Path.Combine(root, split, "data");
            if (!Directory.Exists(data))
            {
                continue;
            }

            foreach (var file in Sorted(Directory.EnumerateFiles(data)))
            {
                AddLooseFile(root, file, options, quarantine, csvFiles);
            }

            // A folder per patient: they are listed several at once (each is a disk read when cold), then taken in order,
            // a window at a time, so only one window's full paths are held.
            var folders = Sorted(Directory.EnumerateDirectories(data));
            var files = new List<string>[Math.Min(folders.Count, PatientsPerWindow)];
            for (var start = 0; start < folders.Count; start += files.Length)
            {
                var count = Math.Min(files.Length, folders.Count - start);
                InParallel(count, CancellationToken.None, i => files[i] = Sorted(Directory.EnumerateFiles(folders[start + i])));
                for (var i = 0; i < count; i++)
                {
                    var pseudonym = Path.GetFileName(folders[start + i]);
                    foreach (var file in files[i])
                    {
                        AddRecordFile(root, file, patients, quarantine, pseudonym);
                    }

                    files[i] = null!;
                }
            }
        }

        foreach (var site in Sorted(Directory.EnumerateDirectories(root, "raw-*")))
        {
            foreach (var upload in Sorted(Directory.EnumerateDirectories(site)))
            {
                var data = Path.Combine(upload, "data");
                if (!Directory.Exists(data))
                {
                    continue;
                }

                foreach (var file in Sorted(Directory.EnumerateFiles(data)))
                {
                    if (file.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
                    {
                        AddLooseFile(root, file, options, quarantine, csvFiles);
                    }
                    else
                    {
                        AddRecordFile(root, file, patients, quarantine, null);
                    }
                }
            }
        }

        if (options.ReadCsv)
        {
            foreach (var file in Sorted(Directory.EnumerateFiles(root, "*.csv")))
            {
                csvFiles.Add(ClinicalPaths.Relative(root, file));
            }
        }

        foreach (var extra in options.CsvFiles)
        {
            var relative = ClinicalPaths.Relative(root, Path.GetFullPath(extra, root));
            if (!csvFiles.Contains(relative))
            {
                csvFiles.Add(relative);
            }
        }
    }

    private static void AddLooseFile(string root, string file, ClinicalLoadOptions options, List<ClinicalQuarantineEntry> quarantine, List<string> csvFiles)
    {
        var relative = ClinicalPaths.Relative(root, file);
        if (file.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            if (options.ReadCsv)
            {
                csvFiles.Add(relative);
            }

            return;
        }

        quarantine.Add(new ClinicalQuarantineEntry(relative, null, ["a file in the data folder that is neither a CSV export nor in a patient folder"]));
    }

    private static void AddRecordFile(
        string root, string file, SortedDictionary<string, PatientSources> patients, List<ClinicalQuarantineEntry> quarantine, string? folderPseudonym)
    {
        var relative = ClinicalPaths.Relative(root, file);
        if (!ClinicalPaths.TryDescribe(relative, out var source, out var reason))
        {
            quarantine.Add(new ClinicalQuarantineEntry(relative, folderPseudonym, [reason]));
            return;
        }

        var sources = Sources(patients, source.ExpectedPseudonym!, out var pseudonym);
        // The patient's files name the same pseudonym: one copy of it is kept for all of them.
        sources.AddJson(ReferenceEquals(pseudonym, source.ExpectedPseudonym) ? source : source with { ExpectedPseudonym = pseudonym });
    }

    private static PatientSources Sources(SortedDictionary<string, PatientSources> patients, string pseudonym) => Sources(patients, pseudonym, out _);

    /// <summary>The patient's sources, and the copy of the pseudonym the patient is kept under (<paramref name="kept"/>).</summary>
    private static PatientSources Sources(SortedDictionary<string, PatientSources> patients, string pseudonym, out string kept)
    {
        if (!patients.TryGetValue(pseudonym, out var sources))
        {
            sources = new PatientSources(pseudonym);
            patients.Add(pseudonym, sources);
        }

        kept = sources.Pseudonym;
        return sources;
    }

    private static void ReadCsvInto(
        string root, string relative, ClinicalLoadOptions options, SortedDictionary<string, PatientSources> patients, List<ClinicalQuarantineEntry> quarantine)
    {
        foreach (var (source, result) in CsvRows(root, relative, options))
        {
            if (result.Quarantine is { } entry)
            {
                quarantine.Add(entry);
            }
            else
            {
                Sources(patients, result.Record!.Pseudonym).AddCsv(source, result);
            }
        }
    }

    private static IEnumerable<(ClinicalSource Source, ClinicalRecordResult Result)> CsvRows(string root, string relative, ClinicalLoadOptions options)
    {
        using var reader = new StreamReader(Path.Combine(root, relative), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var rows = new CsvRowReader(reader);
        var date = ClinicalPaths.CsvDate(relative);
        if (!rows.TryRead(out var header, out _))
        {
            yield return (new ClinicalSource(relative + ":1", null, date, null, null, null, "file name"),
                new ClinicalRecordResult(null, [], new ClinicalQuarantineEntry(relative + ":1", null, ["the CSV file is empty: no header row and no records"])));
            yield break;
        }

        if (header.TrueForAll(string.IsNullOrWhiteSpace))
        {
            yield return (new ClinicalSource(relative + ":1", null, date, null, null, null, "file name"),
                new ClinicalRecordResult(null, [], new ClinicalQuarantineEntry(relative + ":1", null, ["the CSV header row has no field names"])));
            yield break;
        }

        var split = ClinicalPaths.CsvSplit(relative);
        var site = ClinicalPaths.CsvSite(relative);
        while (rows.TryRead(out var cells, out var line))
        {
            if (cells.TrueForAll(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            if (rows.EndedInsideQuotes)
            {
                // Not a record: the rest of the file ran into one cell. Reported where the quote opened.
                var at = relative + ":" + line.ToString(System.Globalization.CultureInfo.InvariantCulture);
                yield return (new ClinicalSource(at, null, date, null, split, site, "file name"), new ClinicalRecordResult(null, [], new ClinicalQuarantineEntry(at, null,
                    ["a quoted cell of this row is never closed, so the rest of the file was read into it; close the quote (a quote inside a cell is written \"\")"])));
                yield break;
            }

            var source = new ClinicalSource(relative + ":" + line.ToString(System.Globalization.CultureInfo.InvariantCulture), null, date, null, split, site, "file name");
            var cleaner = new RecordCleaner(source, options);
            for (var i = 0; i < cells.Count; i++)
            {
                var name = i < header.Count && header[i] is { } named && named.Trim().Length > 0
                    ? named.Trim()
                    : "column " + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (cells[i] is not { } cell)
                {
                    // An unquoted empty cell: this row has no value for the column.
                    continue;
                }

                cleaner.Add(name, null, name, ClinicalInput.FromText(cell), "\"" + JsonEncodedText.Encode(cell, CellEncoder).Value + "\"",
                    dropBlankUnknown: true);
            }

            var result = cleaner.Build();
            if (result.Record is { } record)
            {
                record.Status = record.SwabResult is "positive" or "negative" ? record.SwabResult : null;
            }

            yield return (source, result);
        }
    }

    private static ClinicalRecordResult? Choose(
        string root, PatientSources sources, ClinicalLoadOptions options, ref List<ClinicalQuarantineEntry>? quarantine, ref int filesRead)
    {
        var ordered = sources.NewestFirst();
        for (var i = 0; i < ordered.Count; i++)
        {
            var candidate = ordered[i];
            if (candidate.Csv is { } row)
            {
                return WithUnusedSameDate(row, ordered, i);
            }

            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(Path.Combine(root, candidate.Source.RelativePath));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A file that cannot be read (a broken link, no permission, gone since the listing) is quarantined with
                // the reason, and the patient's next newest file is tried: one bad file never stops the load.
                var why = ex switch
                {
                    FileNotFoundException or DirectoryNotFoundException => "it is gone or a broken link",
                    UnauthorizedAccessException => "permission denied",
                    _ => "an I/O error",
                };
                (quarantine ??= []).Add(new ClinicalQuarantineEntry(candidate.Source.RelativePath, candidate.Source.ExpectedPseudonym, ["the file cannot be read: " + why]));
                continue;
            }

            var result = RecordCleaner.CleanJson(bytes, candidate.Source, options);
            filesRead++;
            if (result.Quarantine is { } entry)
            {
                (quarantine ??= []).Add(entry);
                continue;
            }

            return WithUnusedSameDate(result, ordered, i);
        }

        return null;
    }

    /// <summary>
    /// The winner, with a change that says how many records of its date were left unused: two records of one day may
    /// disagree, and which one won must show in <c>clinical_changes</c>, not be left to the order the files were found in.
    /// </summary>
    private static ClinicalRecordResult WithUnusedSameDate(ClinicalRecordResult winner, List<Candidate> ordered, int index)
    {
        var date = ordered[index].Source.FileDate;
        var unused = 0;
        for (var i = index + 1; i < ordered.Count && ordered[i].Source.FileDate == date; i++) unused++;
        if (unused == 0) return winner;
        var record = winner.Record!;
        var before = unused == 1 ? "another record of the same date" : unused.ToString(System.Globalization.CultureInfo.InvariantCulture) + " other records of the same date";
        CleaningChange change = new(record.Pseudonym, record.SourcePath, "source_path", "record.same_date", before, "not used; this one used (JSON before CSV, then path order)");
        return new ClinicalRecordResult(record, [.. winner.Changes, change], null);
    }

    /// <summary>Folders listed and patients read at once.</summary>
    private const int ReadersInFlight = 8;

    /// <summary>Runs <paramref name="body"/> for 0 to <paramref name="count"/> − 1, several at once; a failure is thrown as itself, as a loop would.</summary>
    private static void InParallel(int count, CancellationToken ct, Action<int> body)
    {
        try
        {
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = ReadersInFlight, CancellationToken = ct }, body);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerExceptions[0]);
            throw;
        }
    }

    private static List<string> Sorted(IEnumerable<string> paths)
    {
        var list = new List<string>(paths);
        list.Sort(StringComparer.Ordinal);
        return list;
    }

    /// <summary>The files and CSV rows found for one patient: paths and dates only, plus already-cleaned CSV rows.</summary>
    private sealed class PatientSources(string pseudonym)
    {
        private readonly List<Candidate> _candidates = [];

        /// <summary>The pseudonym the patient is kept under.</summary>
        public string Pseudonym { get; } = pseudonym;

        public DateOnly? First { get; private set; }

        public DateOnly? Last { get; private set; }

        public int Count => _candidates.Count;

        public void AddJson(ClinicalSource source) => Add(new Candidate(source, null, _candidates.Count));

        public void AddCsv(ClinicalSource source, ClinicalRecordResult row) => Add(new Candidate(source, row, _candidates.Count));

        /// <summary>Newest date first; undated last; at equal dates JSON before CSV, then the order found.</summary>
        public List<Candidate> NewestFirst()
        {
            var ordered = new List<Candidate>(_candidates);
            ordered.Sort(static (a, b) =>
            {
                var byDate = Nullable.Compare(b.Source.FileDate, a.Source.FileDate);
                if (byDate != 0)
                {
                    return byDate;
                }

                var byKind = (a.Csv is null ? 0 : 1).CompareTo(b.Csv is null ? 0 : 1);
                return byKind != 0 ? byKind : a.Order.CompareTo(b.Order);
            });
            return ordered;
        }

        private void Add(Candidate candidate)
        {
            _candidates.Add(candidate);
            if (candidate.Source.FileDate is { } date)
            {
                First = First is { } first && first <= date ? first : date;
                Last = Last is { } last && last >= date ? last : date;
            }
        }
    }

    private sealed record Candidate(ClinicalSource Source, ClinicalRecordResult? Csv, int Order);
}
