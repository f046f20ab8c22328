using System.CommandLine;
using Nccid.Batch.Cli;

namespace Nccid.Batch;

/// <summary>The <c>nccid-batch</c> command line: thin verbs over the engine's layers.</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        NativeHeap.Start();
        var root = new RootCommand("NCCID.Batch: scans, audits and releases a chest-imaging research collection as Parquet tables.");
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(ReleaseCommand.Create());
        root.Subcommands.Add(DiffCommand.Create());
        root.Subcommands.Add(ScanCommand.Create());
        root.Subcommands.Add(AuditCommand.Create());
        root.Subcommands.Add(RulesCommand.Create());
        root.Subcommands.Add(SynthCommand.Create());
        root.Subcommands.Add(DumpCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(JobsCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(RunsCommand.Create());
        root.Subcommands.Add(HostCommand.Create());
        root.Subcommands.Add(ClusterCommand.Create());
        return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
    }
}
