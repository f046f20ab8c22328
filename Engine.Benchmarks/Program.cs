using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace Nccid.Batch.Benchmarks;

internal static class Program
{
    // The generated benchmark project is built on machines shared with other builds, where BenchmarkDotNet's
    // default build timeout of two minutes is not always enough.
    private static void Main(string[] args) =>
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, ManualConfig.Create(DefaultConfig.Instance).WithBuildTimeout(TimeSpan.FromMinutes(10)));
}
