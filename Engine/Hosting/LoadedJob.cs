using Nccid.Batch.Releases;

namespace Nccid.Batch.Hosting;

/// <summary>A valid job file: its path, the loaded job and the SHA-256 of its bytes (to notice changes).</summary>
/// <param name="Path">The job file's full path.</param>
/// <param name="Job">The loaded, validated job (paths resolved).</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the file.</param>
public sealed record LoadedJob(string Path, ReleaseJob Job, string Sha256);
