using System.CommandLine;
using Nccid.Batch.Cli;
using Xunit;

namespace Nccid.Batch.Tests.Cli;

public sealed class SynthCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "nccid-synth-cli-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public void Synth_writes_a_dropzone_corpus_without_defects_when_the_rate_is_zero()
    {
        var output = new StringWriter();

        var exitCode = SynthCommand.Create()
            .Parse(["--out", _root, "--patients", "3", "--seed", "2", "--layout", "dropzone", "--defect-rate", "0"])
            .Invoke(new InvocationConfiguration { Output = output });

        Assert.Equal(0, exitCode);
        Assert.All(Directory.GetDirectories(_root), d => Assert.StartsWith("raw-", Path.GetFileName(d), StringComparison.Ordinal));
        Assert.DoesNotContain(File.ReadLines(Path.Combine(_root, "ground-truth.jsonl")), l => !l.Contains("\"clinical_value\"", StringComparison.Ordinal));
        Assert.Contains("NotDicom: 0", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Synth_rejects_a_defect_rate_above_one_without_writing()
    {
        var error = new StringWriter();

        var exitCode = SynthCommand.Create()
            .Parse(["--out", _root, "--patients", "3", "--defect-rate", "1.5"])
            .Invoke(new InvocationConfiguration { Output = new StringWriter(), Error = error });

        Assert.Equal(2, exitCode);
        Assert.False(Directory.Exists(_root));
        Assert.Contains("Truncated rate must be between 0 and 1, got 1.5.", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Synth_takes_a_CT_slice_range_and_rejects_one_it_cannot_read()
    {
        var written = SynthCommand.Create()
            .Parse(["--out", _root, "--patients", "40", "--seed", "3", "--defect-rate", "0", "--ct-slices", "4-4"])
            .Invoke(new InvocationConfiguration { Output = new StringWriter() });
        var error = new StringWriter();
        var refused = SynthCommand.Create()
            .Parse(["--out", _root + "-x", "--patients", "3", "--ct-slices", "9"])
            .Invoke(new InvocationConfiguration { Output = new StringWriter(), Error = error });

        Assert.Equal(0, written);
        var series = Directory.GetDirectories(_root, "ct", SearchOption.AllDirectories)
            .SelectMany(ct => Directory.GetDirectories(ct, "*", SearchOption.AllDirectories))
            .Where(d => Directory.GetFiles(d, "*.dcm").Length > 0)
            .ToList();
        Assert.NotEmpty(series);
        Assert.All(series, d => Assert.Equal(4, Directory.GetFiles(d, "*.dcm").Length));
        Assert.Equal(2, refused);
        Assert.False(Directory.Exists(_root + "-x"));
        Assert.Contains("--ct-slices '9' is not MIN-MAX", error.ToString(), StringComparison.Ordinal);
    }
}
