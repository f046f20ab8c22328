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
}
