using System.Buffers;
using System.IO.Hashing;
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

    /// <summary>
    /// The XXH128 of the file at <paramref name="path"/>, as lower-case hex (its canonical, big-endian form): a checksum
    /// against damage, an order of magnitude cheaper than SHA-256, for files the engine reads back whole at every run.
    /// </summary>
    public static async Task<string> Xxh128Async(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var hash = new XxHash128();
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 18);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0) hash.Append(buffer.AsSpan(0, read));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }
}
