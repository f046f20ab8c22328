using System.Security.Cryptography;

namespace Nccid.Batch.Storage;

/// <summary>Checksums of whole files, as the manifests, the scan index and the identifier guard's cache record them.</summary>
public static class FileHashes
{
    /// <summary>The SHA-256 of the file at <paramref name="path"/>, as lower-case hex.</summary>
    public static async Task<string> Sha256Async(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
    }
}
