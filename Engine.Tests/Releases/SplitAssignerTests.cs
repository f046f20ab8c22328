using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Nccid.Batch.Releases;
using Nccid.Batch.Tests.Tables;

namespace Nccid.Batch.Tests.Releases;

public class SplitAssignerTests
{
    [Fact]
    public void Bucket_is_sha512_of_the_upper_cased_pseudonym_mod_100()
    {
        foreach (var p in new[] { "c000001", "C123456", "Covid-99", "x" })
        {
            var hash = SHA512.HashData(Encoding.UTF8.GetBytes(p.ToUpperInvariant()));
            var expected = (int)(new BigInteger(hash.Reverse().Concat(new byte[] { 0 }).ToArray()) % 100);
            Assert.Equal(expected, SplitAssigner.Bucket(p));
        }

        Assert.Equal(SplitAssigner.Bucket("abc"), SplitAssigner.Bucket("ABC"));
    }

    [Fact]
    public void A_patients_group_never_changes_once_stored_even_if_the_policy_does()
    {
        using var temp = new TempDirectory();
        var state = Path.Combine(temp.Path, "state", "splits.json");
        var first = SplitAssigner.Load(state, new SplitPolicy { TrainingPercent = 100 });
        Assert.Equal("training", first.Assign("C000001", "centre-a", null));
        first.Save(state);
        var second = SplitAssigner.Load(state, new SplitPolicy { TrainingPercent = 0 });
        Assert.Equal("training", second.Assign("C000001", "centre-a", null));
        Assert.Equal("validation", second.Assign("C000002", "centre-a", null));
        var moved = Assert.Throws<SplitConflictException>(() => second.Assign("C000001", "centre-a", "validation"));
        Assert.Contains("C000001", moved.Message);
    }

    [Fact]
    public void The_state_is_saved_sorted_by_pseudonym_whatever_the_order_of_assignment()
    {
        using var temp = new TempDirectory();
        var state = Path.Combine(temp.Path, "splits.json");
        var assigner = SplitAssigner.Load(state, new SplitPolicy { TrainingPercent = 50 });
        string[] order = ["C3", "c0", "C10", "C1", "B9"];
        foreach (var p in order) assigner.Assign(p, null, p == "B9" ? "validation" : "training");
        assigner.Save(state);

        using var saved = JsonDocument.Parse(File.ReadAllText(state));
        Assert.Equal(["B9", "C1", "C10", "C3", "c0"], saved.RootElement.EnumerateObject().Select(p => p.Name).ToArray());

        var again = SplitAssigner.Load(state, new SplitPolicy { TrainingPercent = 0 });
        Assert.Equal("validation", again.Assign("B9", null, null));
        Assert.Equal("training", again.Assign("c0", null, null));
        Assert.Equal(5, again.Groups.Count);
    }

    [Fact]
    public void Centre_modes_override_the_hash()
    {
        using var temp = new TempDirectory();
        var policy = new SplitPolicy { TrainingPercent = 100, Centres = new Dictionary<string, string> { ["v"] = "validation" } };
        var assigner = SplitAssigner.Load(Path.Combine(temp.Path, "s.json"), policy);
        Assert.Equal("validation", assigner.Assign("P1", "v", null));
        Assert.Equal("training", assigner.Assign("P2", "other", null));
    }
}
