using Nccid.Batch.Fuzz;
using Nccid.Batch.Tests.Fixtures;
using Nccid.Batch.Tests.Tables;

namespace Nccid.Batch.Tests.Dicom;

/// <summary>
/// The coverage-guided fuzzing target (Engine.Tests/Fuzz, run by scripts/fuzz.sh) on the seeds it starts from:
/// each passes every property the target checks, so what afl-fuzz reports as a crash is a mutant's, not a seed's.
/// </summary>
public sealed class FuzzTargetTests
{
    [Fact]
    public void Every_seed_passes_the_fuzz_targets_properties()
    {
        using var temp = new TempDirectory();
        var synthetic = SeedWriter.Write(temp.Path);
        var seeds = Directory.GetFiles(temp.Path).Concat(PublicDicomFiles.All().Where(f => new FileInfo(f).Length <= 64 << 10)).ToList();
        var target = new FuzzTarget();
        var outcomes = seeds.Select(f => (File: Path.GetFileName(f), Outcome: target.Run(File.ReadAllBytes(f)))).ToList();

        Assert.Equal(13, synthetic);
        Assert.True(seeds.Count > 70, $"{seeds.Count} seeds");
        Assert.All(outcomes.Where(o => o.File.StartsWith("synthetic-", StringComparison.Ordinal)), o => Assert.StartsWith("Complete None", o.Outcome, StringComparison.Ordinal));
        Assert.True(outcomes.Count(o => o.Outcome.StartsWith("Complete", StringComparison.Ordinal)) > seeds.Count / 2);
    }

    [Theory]
    [InlineData(new byte[0], "Error NotDicom")]
    [InlineData(new byte[] { 0x44, 0x49, 0x43, 0x4D }, "Error")]
    public void Inputs_that_are_not_DICOM_are_errors_of_their_kind_not_crashes(byte[] input, string expected)
    {
        Assert.StartsWith(expected, new FuzzTarget().Run(input), StringComparison.Ordinal);
    }
}
