namespace Nccid.Batch.Hosting;

/// <summary>Every job file of a folder: the valid ones and, for each invalid one, its error.</summary>
/// <param name="Jobs">Valid jobs, sorted by name.</param>
/// <param name="Errors">One message per invalid file (file, JSON path, what is allowed), sorted by file.</param>
public sealed record JobFolderScan(IReadOnlyList<LoadedJob> Jobs, IReadOnlyList<string> Errors);
