using System.Text.Json.Nodes;
using Nccid.Batch.Releases;
using Nccid.Batch.Synthetic;
using Nccid.Batch.Tests.Tables;

namespace Nccid.Batch.Tests.Releases;

public class ReleaseDiffTests
{
    private static void CopyTree(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories)) Directory.CreateDirectory(dir.Replace(from, to, StringComparison.Ordinal));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories)) File.Copy(file, file.Replace(from, to, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Diff_finds_exactly_the_changes_made_between_two_corpora()
    {
        using var temp = new TempDirectory();
        var a = Path.Combine(temp.Path, "a");
        SyntheticCorpusGenerator.Generate(a, new SyntheticCorpusOptions { Patients = 30, Seed = 4 }.WithAllDefectRates(0), CancellationToken.None);
        var b = Path.Combine(temp.Path, "b");
        CopyTree(a, b);

        // 1. A patient leaves: their clinical folder and every image.
        var data = Directory.GetDirectories(Path.Combine(b, "training", "data")).Order(StringComparer.Ordinal).ToArray();
        var gone = Path.GetFileName(data[0]);
        Directory.Delete(data[0], recursive: true);
        var goneImages = Directory.GetDirectories(b, gone, SearchOption.AllDirectories);
        var goneInstances = goneImages.Sum(d => Directory.GetFiles(d, "*.dcm", SearchOption.AllDirectories).Length);
        foreach (var dir in goneImages) Directory.Delete(dir, recursive: true);

        // 2. One clinical value changes for another patient: the heart rate in the newest record, under whichever
        // of its names the hospital used.
        string? changed = null;
        foreach (var folder in data.Skip(1))
        {
            var newest = Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal).Last();
            var record = JsonNode.Parse(File.ReadAllText(newest))!.AsObject();
            var key = new[] { "HR on admission", "Heart rate", "HR", "Pulse" }.FirstOrDefault(k => record.ContainsKey(k) && record[k] is not null);
            if (key is null) continue;
            record[key] = record[key]!.ToString() == "61" ? 62 : 61;
            File.WriteAllText(newest, record.ToJsonString());
            changed = Path.GetFileName(folder);
            break;
        }

        Assert.NotNull(changed);

        var outA = Path.Combine(temp.Path, "out-a");
        var outB = Path.Combine(temp.Path, "out-b");
        var ra = await ReleasedCorpusFixture.Run(ReleasedCorpusFixture.WriteJob(Path.Combine(temp.Path, "a.json"), a, outA));
        var rb = await ReleasedCorpusFixture.Run(ReleasedCorpusFixture.WriteJob(Path.Combine(temp.Path, "b.json"), b, outB));
        var diff = await ReleaseDiff.CompareAsync(ra.Directory!, rb.Directory!, CancellationToken.None);

        var patients = diff.Entities.Single(e => e.Entity == "patients");
        Assert.Empty(patients.Added);
        Assert.Equal(new[] { gone }, patients.Removed);
        Assert.Equal(new[] { changed }, patients.Changed);
        Assert.Equal(new Dictionary<string, int> { ["heart_rate"] = 1 }, diff.ClinicalFieldChanges);

        var instances = diff.Entities.Single(e => e.Entity == "instances");
        Assert.Empty(instances.Added);
        Assert.Empty(instances.Changed);
        Assert.Equal(goneInstances, instances.Removed.Count);
        Assert.All(instances.Removed, p => Assert.Contains("/" + gone + "/", p));

        var studies = diff.Entities.Single(e => e.Entity == "studies");
        Assert.Empty(studies.Added);
        Assert.Empty(studies.Changed);
        Assert.NotEmpty(studies.Removed);
        Assert.Contains("patients", diff.Describe());
    }
}
