using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Nccid.Batch.Synthetic;
using Xunit;

namespace Nccid.Batch.Tests.Synthetic;

public sealed partial class SyntheticCorpusGeneratorTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "nccid-synth-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public void Same_seed_gives_identical_files_and_bytes_and_another_seed_does_not()
    {
        var options = new SyntheticCorpusOptions { Patients = 15, Seed = 42 }.WithAllDefectRates(0.1);
        var first = Generate("a", options);
        var second = Generate("b", options);
        var other = Generate("c", options with { Seed = 43 });

        var firstHashes = Hashes(first);
        Assert.Equal(firstHashes, Hashes(second));
        Assert.NotEqual(firstHashes.Keys, Hashes(other).Keys);
        Assert.True(firstHashes.Count > 30, $"only {firstHashes.Count} files");
        Assert.Equal(firstHashes[SyntheticCorpusGenerator.LedgerFileName], Hashes(second)[SyntheticCorpusGenerator.LedgerFileName]);
    }

    [Fact]
    public void Warehouse_paths_have_the_documented_shape()
    {
        var root = Generate("w", new SyntheticCorpusOptions { Patients = 30, Seed = 7 });

        var files = RelativeFiles(root).Where(f => f != SyntheticCorpusGenerator.LedgerFileName).ToList();

        Assert.All(files, f => Assert.Matches(WarehousePath(), f));
        Assert.Contains(files, f => f.StartsWith("training/xray/", StringComparison.Ordinal));
        Assert.Contains(files, f => f.StartsWith("validation/", StringComparison.Ordinal));
        Assert.Contains(files, f => f.Contains("/data/", StringComparison.Ordinal) && f.Contains("/data_", StringComparison.Ordinal));
        // The folder name is the PatientID of every clean image below it.
        var image = files.First(f => f.Contains("/xray/", StringComparison.Ordinal));
        var dump = ExternalDicomTools.Dcmdump(Path.Combine(root, image)).Output;
        Assert.Contains("(0010,0020) LO [" + image.Split('/')[2] + "]", dump, StringComparison.Ordinal);
    }

    [Fact]
    public void Dropzone_paths_have_the_documented_shape()
    {
        var root = Generate("d", new SyntheticCorpusOptions { Patients = 30, Seed = 7, Layout = SyntheticCorpusLayout.Dropzone });

        var files = RelativeFiles(root).Where(f => f != SyntheticCorpusGenerator.LedgerFileName).ToList();

        Assert.All(files, f => Assert.Matches(DropzonePath(), f));
        Assert.Contains(files, f => f.EndsWith("_data.json", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith(".dcm", StringComparison.Ordinal));
    }

    [Fact]
    public void Ledger_lines_parse_and_name_existing_files()
    {
        var root = Generate("l", new SyntheticCorpusOptions { Patients = 40, Seed = 3 }.WithAllDefectRates(0.1));
        string[] kinds = ["identifier_in_tag", "identifier_in_free_text", "missing_attribute", "malformed_attribute",
            "duplicate_sop_instance_uid", "truncated", "not_dicom", "clinical_value"];

        var entries = ReadLedger(root);

        Assert.NotEmpty(entries);
        Assert.All(entries, e =>
        {
            Assert.Contains(e.GetProperty("kind").GetString(), kinds);
            var path = e.GetProperty("path").GetString()!;
            Assert.DoesNotContain('\\', path);
            Assert.True(File.Exists(Path.Combine(root, path)), path);
        });
        Assert.Equal(kinds.ToHashSet(), entries.Select(e => e.GetProperty("kind").GetString()!).ToHashSet());
        Assert.All(entries.Where(e => e.GetProperty("kind").GetString()!.StartsWith("identifier", StringComparison.Ordinal)),
            e => Assert.Matches("^[0-9A-F]{8}$", e.GetProperty("tag").GetString()!));
    }

    [Fact]
    public void Clinical_ledger_entries_match_the_raw_values_in_the_json_files()
    {
        var root = Generate("c", new SyntheticCorpusOptions { Patients = 20, Seed = 11 });
        var entries = ReadLedger(root).Where(e => e.GetProperty("kind").GetString() == "clinical_value").ToList();

        Assert.True(entries.Count > 50, $"only {entries.Count} clinical entries");
        foreach (var entry in entries)
        {
            using var record = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(root, entry.GetProperty("path").GetString()!)));
            var value = record.RootElement.GetProperty(entry.GetProperty("key").GetString()!);
            var raw = value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => value.GetRawText(),
            };
            Assert.Equal(entry.GetProperty("raw").GetString(), raw);
        }

        Assert.Contains(entries, e => e.GetProperty("field").GetString() == "SwabDate"
            && e.GetProperty("raw").GetString() != e.GetProperty("clean").GetString());
    }

    [Fact]
    public void Defect_counts_roughly_match_the_rates_over_200_patients()
    {
        const double rate = 0.05;
        var summary = SyntheticCorpusGenerator.Generate(Path.Combine(_root, "r"),
            new SyntheticCorpusOptions { Patients = 200, Seed = 5 }.WithAllDefectRates(rate), CancellationToken.None);
        var ledger = ReadLedger(Path.Combine(_root, "r"));

        var images = summary.DicomFiles - summary.DefectsByKind[SyntheticDefectKind.DuplicateSopInstanceUid];
        foreach (var (kind, count) in summary.DefectsByKind)
        {
            var expected = rate * images;
            Assert.InRange(count, expected * 0.6, expected * 1.4);
        }

        foreach (var kind in summary.DefectsByKind.Keys)
        {
            var name = Regex.Replace(kind.ToString(), "(?<=[a-z])([A-Z])", "_$1").ToLowerInvariant();
            Assert.Equal(summary.DefectsByKind[kind], ledger.Count(e => e.GetProperty("kind").GetString() == name));
        }
    }

    [Fact]
    public void Dcmdump_accepts_clean_files_in_every_transfer_syntax_and_rejects_not_dicom_files()
    {
        var root = Generate("t", new SyntheticCorpusOptions { Patients = 60, Seed = 9 }.WithAllDefectRates(0.05));
        var ledger = ReadLedger(root);
        var defective = ledger.Where(e => e.GetProperty("kind").GetString() != "clinical_value")
            .Select(e => e.GetProperty("path").GetString()!).ToHashSet();
        var clean = RelativeFiles(root).Where(f => f.EndsWith(".dcm", StringComparison.Ordinal) && !defective.Contains(f))
            .GroupBy(f => TransferSyntaxOf(Path.Combine(root, f)))
            .ToDictionary(g => g.Key, g => g.ToList());

        Assert.Equal(Enum.GetValues<SyntheticTransferSyntax>().Select(SyntheticTransferSyntaxInfo.Uid).Order(), clean.Keys.Order());
        var sample = clean.Values.SelectMany(files => files.Take(5)).Take(30).ToList();
        foreach (var file in sample)
        {
            var (exitCode, output) = ExternalDicomTools.Dcmdump(Path.Combine(root, file));
            Assert.True(exitCode == 0, file + "\n" + output);
            Assert.Contains("(0010,0020) LO [" + file.Split('/')[2] + "]", output, StringComparison.Ordinal);
            Assert.Contains("(0008,0018) UI [" + Path.GetFileNameWithoutExtension(file) + "]", output, StringComparison.Ordinal);
        }

        var notDicom = ledger.Where(e => e.GetProperty("kind").GetString() == "not_dicom").Select(e => e.GetProperty("path").GetString()!).ToList();
        Assert.NotEmpty(notDicom);
        Assert.All(notDicom, f => Assert.NotEqual(0, ExternalDicomTools.Dcmdump(Path.Combine(root, f)).ExitCode));
    }

    [Fact]
    public void Every_CT_series_has_a_slice_count_within_the_range_asked_for()
    {
        var fixedLength = Generate("s7", new SyntheticCorpusOptions { Patients = 60, Seed = 3, CtSlicesMin = 7, CtSlicesMax = 7 }.WithAllDefectRates(0));
        var byDefault = Generate("sd", new SyntheticCorpusOptions { Patients = 60, Seed = 3 }.WithAllDefectRates(0));

        var seven = CtSeriesLengths(fixedLength);
        Assert.True(seven.Count >= 3, $"only {seven.Count} CT series");
        Assert.All(seven, n => Assert.Equal(7, n));
        var usual = CtSeriesLengths(byDefault);
        Assert.Equal(seven.Count, usual.Count);
        Assert.All(usual, n => Assert.InRange(n, 20, 60));
    }

    [Fact]
    public void Options_for_a_number_of_files_over_few_patients_come_near_that_number()
    {
        var options = new SyntheticCorpusOptions { Seed = 11 }.WithAllDefectRates(0).WithImageFiles(8_000, 400);

        var summary = SyntheticCorpusGenerator.Generate(Path.Combine(_root, "n"), options, CancellationToken.None);

        Assert.Equal(400, options.Patients);
        Assert.InRange(options.MeanImageFilesPerPatient * 400, 7_800, 8_200);
        Assert.InRange(summary.DicomFiles, 8_000 * 0.8, 8_000 * 1.2);
        var usual = SyntheticCorpusGenerator.Generate(Path.Combine(_root, "u"), new SyntheticCorpusOptions { Patients = 400, Seed = 11 }.WithAllDefectRates(0), CancellationToken.None);
        var expected = new SyntheticCorpusOptions().MeanImageFilesPerPatient * 400;
        Assert.InRange(usual.DicomFiles, expected * 0.85, expected * 1.15);
    }

    [Fact]
    public void Invalid_options_report_every_failure()
    {
        var options = new SyntheticCorpusOptions { Patients = 0, Truncated = 1.5, NotDicom = -0.1, CtSlicesMin = 8, CtSlicesMax = 7 };

        var errors = options.Validate();

        Assert.Equal(4, errors.Count);
        Assert.Contains(errors, e => e.Contains("8 to 7", StringComparison.Ordinal));
        Assert.Single(new SyntheticCorpusOptions { CtSlicesMin = 0 }.Validate());
        Assert.Single(new SyntheticCorpusOptions { CtSlicesMax = SyntheticCorpusOptions.MaxCtSlices + 1 }.Validate());
        Assert.Throws<ArgumentException>(() => SyntheticCorpusGenerator.Generate(_root, options, CancellationToken.None));
    }

    [GeneratedRegex(@"^(training|validation)/((xray|ct|mri)/C\d{6}/2\.25\.\d+/2\.25\.\d+/2\.25\.\d+(-copy)?\.dcm|data/C\d{6}/(data|status)_20(20|21)-\d\d-\d\d\.json)$")]
    private static partial Regex WarehousePath();

    [GeneratedRegex(@"^raw-r[a-z]\d[a-z]/20(20|21)-\d\d-\d\d/(images/C\d{6}_\d\d_\d{3}(-copy|-resent|-report)?\.dcm|data/C\d{6}_(data|status)\.json)$")]
    private static partial Regex DropzonePath();

    private string Generate(string name, SyntheticCorpusOptions options)
    {
        var root = Path.Combine(_root, name);
        SyntheticCorpusGenerator.Generate(root, options, CancellationToken.None);
        return root;
    }

    private static List<int> CtSeriesLengths(string root) => RelativeFiles(root)
        .Where(f => f.Contains("/ct/", StringComparison.Ordinal) && f.EndsWith(".dcm", StringComparison.Ordinal))
        .GroupBy(f => f[..f.LastIndexOf('/')], StringComparer.Ordinal)
        .Select(g => g.Count())
        .ToList();

    private static List<string> RelativeFiles(string root) => Directory
        .EnumerateFiles(root, "*", SearchOption.AllDirectories)
        .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
        .Order(StringComparer.Ordinal)
        .ToList();

    private static SortedDictionary<string, string> Hashes(string root) => new(
        RelativeFiles(root).ToDictionary(f => f, f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(root, f))))),
        StringComparer.Ordinal);

    private static List<JsonElement> ReadLedger(string root) => File
        .ReadAllLines(Path.Combine(root, SyntheticCorpusGenerator.LedgerFileName), Encoding.UTF8)
        .Select(line => JsonDocument.Parse(line).RootElement.Clone())
        .ToList();

    private static string TransferSyntaxOf(string path)
    {
        // The meta group is explicit VR little endian; (0002,0010) is found by its tag and VR bytes.
        var bytes = File.ReadAllBytes(path).AsSpan(0, 400);
        var at = bytes.IndexOf("\u0002\0\u0010\0UI"u8);
        var length = bytes[at + 6] | (bytes[at + 7] << 8);
        return Encoding.ASCII.GetString(bytes.Slice(at + 8, length)).TrimEnd('\0');
    }
}
