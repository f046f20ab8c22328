namespace Nccid.Batch.Cli;

/// <summary>Defaults of the scan verbs.</summary>
internal static class ScanDefaults
{
    /// <summary>Reads wait on storage more than on the CPU, so several files per core keep both busy.</summary>
    public static int Parallelism => Math.Max(4, Environment.ProcessorCount * 4);
}
