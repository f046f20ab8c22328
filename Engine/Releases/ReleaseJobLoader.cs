using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Nccid.Batch.Storage;

namespace Nccid.Batch.Releases;

/// <summary>
/// Reads and validates job files. Errors name the file, the JSON path, what is wrong and what is allowed, all at once.
/// Relative paths in the job are resolved against the job file's folder.
/// </summary>
public static partial class ReleaseJobLoader
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex NamePattern();

    /// <summary>Loads <paramref name="path"/>; throws <see cref="JobFileException"/> listing every problem.</summary>
    public static ReleaseJob Load(string path)
    {
        if (!File.Exists(path)) throw new JobFileException($"{path}: no such job file.");
        ReleaseJob? job;
        JsonDocument parsed;
        try
        {
            parsed = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            // Not JSON at all: the place is a line and column of the file (the message may quote the bad text).
            throw new JobFileException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{path}: line {ex.LineNumber + 1}, column {ex.BytePositionInLine + 1}: not valid JSON: {Clean(ex.Message)} Fix the JSON syntax there (quotes, commas, brackets)."));
        }

        try
        {
            using var document = parsed;
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new JobFileException($"{path}: at $: a job is a JSON object.");
            var withoutSchema = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (property.Name != "$schema") withoutSchema[property.Name] = property.Value;
            }

            job = JsonSerializer.Deserialize<ReleaseJob>(JsonSerializer.Serialize(withoutSchema), Options);
        }
        catch (JsonException ex)
        {
            throw new JobFileException($"{path}: at {ex.Path ?? "$"}: {Plain(Clean(ex.Message))}");
        }

        if (job is null) throw new JobFileException($"{path}: the file holds no job.");
        var problems = Validate(job);
        if (problems.Count > 0) throw new JobFileException(path + ":" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  " + p)));
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return job with
        {
            Source = StorageLocation.IsS3(job.Source) ? job.Source : Resolve(folder, job.Source),
            ClinicalSource = job.ClinicalSource is null ? null : Resolve(folder, job.ClinicalSource),
            Output = StorageLocation.IsS3(job.Output) ? job.Output : Resolve(folder, job.Output),
            WorkDirectory = job.WorkDirectory is null ? null : Resolve(folder, job.WorkDirectory),
            AuditProfile = Audit.AuditProfile.BuiltIn(job.AuditProfile) is null ? Resolve(folder, job.AuditProfile) : job.AuditProfile,
        };
    }

    /// <summary>Every problem with <paramref name="job"/>, each naming its JSON path and what is allowed.</summary>
    public static IReadOnlyList<string> Validate(ReleaseJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var problems = new List<string>();
        if (!NamePattern().IsMatch(job.Name)) problems.Add("at $.name: required; letters, digits, '-' and '_', at most 64 characters.");
        if (job.Kind is not ("release" or "audit" or "scan")) problems.Add($"at $.kind: '{job.Kind}' is not allowed; use release, audit or scan.");
        if (string.IsNullOrWhiteSpace(job.Source)) problems.Add("at $.source: required; the folder of DICOM files.");
        else if (StorageLocation.IsS3(job.Source) && job.ClinicalSource is null) problems.Add("at $.clinicalSource: required when $.source is an s3:// location (clinical records are read from a folder).");
        if (job.Inventory is { } inventory) problems.AddRange(inventory.Validate(job.Source));
        if (string.IsNullOrWhiteSpace(job.Output)) problems.Add("at $.output: required; the folder the release is written to, or an s3://bucket/prefix location.");
        else if (StorageLocation.IsS3(job.Output)) ValidateS3Output(job, problems);
        if (job.WorkDirectory is { } work)
        {
            if (string.IsNullOrWhiteSpace(work) || StorageLocation.IsS3(work)) problems.Add("at $.workDirectory: a local folder.");
            else if (!StorageLocation.IsS3(job.Output)) problems.Add("at $.workDirectory: only for an s3:// output; a folder output keeps its scan index beside its releases.");
        }

        if (job.Split.TrainingPercent is < 0 or > 100) problems.Add("at $.split.trainingPercent: must be between 0 and 100.");
        foreach (var (mode, where) in job.Split.Centres.Select(kv => (kv.Value, "$.split.centres." + kv.Key)).Append((job.Split.Default, "$.split.default")))
        {
            if (mode is not ("training" or "validation" or "split")) problems.Add($"at {where}: '{mode}' is not allowed; use training, validation or split.");
        }

        if (job.CollectionWindows is not ("flag" or "exclude")) problems.Add($"at $.collectionWindows: '{job.CollectionWindows}' is not allowed; use flag or exclude.");
        if (job.DisclosureThreshold is < 1 or > 100) problems.Add("at $.disclosureThreshold: must be between 1 and 100.");
        if (job.Parallelism is < 0 or > 1024) problems.Add("at $.parallelism: must be between 0 (default) and 1024.");
        if (job.Retries is < 0 or > 10) problems.Add("at $.retries: must be between 0 and 10.");
        if (!IsSafeReleaseId(ExpandReleaseId(job, new DateOnly(2000, 1, 1))))
        {
            problems.Add($"at $.releaseId: '{job.ReleaseId}' does not give a plain folder name; after {{name}} and {{date}} are replaced it must be letters, digits, '.', '-' and '_', "
                + "start with a letter or digit, be at most 128 characters and not be LATEST or state (a release stays a folder of <output>/releases).");
        }

        if (job.OnReadError is not ("errorRow" or "fail")) problems.Add($"at $.onReadError: '{job.OnReadError}' is not allowed; use errorRow or fail.");
        for (var i = 0; i < job.AllowAttributes.Count; i++)
        {
            if (!Audit.RemovedAttributes.IsProfileAttribute(job.AllowAttributes[i]))
            {
                problems.Add($"at $.allowAttributes[{i}]: '{job.AllowAttributes[i]}' is not the keyword of an attribute of the de-identification profile (PS3.15 Table E.1-1), e.g. InstitutionName.");
            }
        }

        for (var i = 0; i < job.Notifications.Count; i++)
        {
            var n = job.Notifications[i];
            var ok = Uri.TryCreate(n, UriKind.Absolute, out var uri) ? uri.Scheme is "http" or "https" or "file" : !string.IsNullOrWhiteSpace(n);
            if (!ok) problems.Add($"at $.notifications[{i}]: a webhook URL (http/https) or a file path.");
        }

        if (job.Schedule is { Cron: { } cron } schedule)
        {
            if (cron.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length is < 6 or > 7) problems.Add("at $.schedule.cron: a Quartz cron expression has 6 or 7 fields (seconds first), e.g. '0 0 2 ? * SUN'.");
            if (!TimeZoneInfo.TryFindSystemTimeZoneById(schedule.TimeZone, out _)) problems.Add($"at $.schedule.timeZone: '{schedule.TimeZone}' is not a known time zone (e.g. Europe/London).");
        }

        return problems;
    }

    /// <summary>The release id of <paramref name="job"/> on <paramref name="date"/>: its pattern with {name} and {date} replaced.</summary>
    public static string ExpandReleaseId(ReleaseJob job, DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.ReleaseId.Replace("{name}", job.Name, StringComparison.Ordinal)
            .Replace("{date}", date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    /// <summary>
    /// True when <paramref name="id"/> can only name a folder directly inside <c>releases/</c>: no separator, no
    /// '..', no leading dot (staging folders are hidden), not a name the releases folder uses itself.
    /// </summary>
    public static bool IsSafeReleaseId(string id) => ReleaseIdPattern().IsMatch(id ?? string.Empty) && id is not ("LATEST" or "state");

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex ReleaseIdPattern();

    private static void ValidateS3Output(ReleaseJob job, List<string> problems)
    {
        if (job.Kind != "release")
        {
            problems.Add($"at $.output: an s3:// location is allowed for release jobs only; {job.Kind} jobs write to a folder.");
            return;
        }

        try
        {
            S3StoreOptions.Parse(job.Output);
        }
        catch (ArgumentException ex)
        {
            problems.Add("at $.output: " + ex.Message);
        }
    }

    private static string Resolve(string folder, string path) => Path.GetFullPath(Path.Combine(folder, path));

    /// <summary>The serializer names .NET types; a job's author knows JSON's.</summary>
    private static string Plain(string message)
    {
        const string unknown = "The JSON property '";
        if (message.StartsWith(unknown, StringComparison.Ordinal) && message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            var name = message[unknown.Length..message.IndexOf('\'', unknown.Length)];
            return $"'{name}' is not a job property (a typo?); the allowed properties are listed in jobs/job.schema.json.";
        }

        if (!message.StartsWith("The JSON value could not be converted to ", StringComparison.Ordinal)) return message;
        var type = message["The JSON value could not be converted to ".Length..].TrimEnd('.');
        var expected = type switch
        {
            _ when type.StartsWith("System.Int", StringComparison.Ordinal) => "a whole number",
            _ when type.StartsWith("System.Double", StringComparison.Ordinal) => "a number",
            _ when type.StartsWith("System.Boolean", StringComparison.Ordinal) => "true or false",
            _ when type.StartsWith("System.String", StringComparison.Ordinal) => "a string",
            _ when type.Contains("IReadOnlyList", StringComparison.Ordinal) => "an array",
            _ when type.Contains("Dictionary", StringComparison.Ordinal) || type.StartsWith("Nccid.", StringComparison.Ordinal) => "an object",
            _ => null,
        };
        return expected is null ? message : $"the value has the wrong type; expected {expected}.";
    }

    private static string Clean(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
