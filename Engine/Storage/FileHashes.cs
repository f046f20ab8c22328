using System.Buffers;
using System.IO.Hashing;
using System.Security.Cryptography;

namespace Nccid.Batch.Storage;

/// <summary>
/// Checksums of whole files, as the manifests, the scan index and the identifier guard's cache record them. A file is read
/// in pieces of 256 KiB into a pooled buffer: a release hashes a hundred parts or more, and a buffer of its own for each
/// was a good share of what a release that changed little allocated.
/// </summary>
public static class FileHashes
{
    private const int PieceBytes = 1 << 18;

    /// <summary>The SHA-256 of the file at <paramref name="path"/>, as lower-case hex.</summary>
    public static async Task<string> Sha256Async(string path, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await ReadAsync(path, hash.AppendData, cancellationToken).ConfigureAwait(false);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>
    /// The XXH128 of the file at <paramref name="path"/>, as lower-case hex (its canonical, big-endian form): a checksum
    /// against damage, an order of magnitude cheaper than SHA-256, for files the engine reads back whole at every run.
    /// </summary>
    public static async Task<string> Xxh128Async(string path, CancellationToken cancellationToken)
    {
        var hash = new XxHash128();
        await ReadAsync(path, hash.Append, cancellationToken).ConfigureAwait(false);
        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }

    private static async Task ReadAsync(string path, Action<ReadOnlySpan<byte>> append, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var buffer = ArrayPool<byte>.Shared.Rent(PieceBytes);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(0, PieceBytes), cancellationToken).ConfigureAwait(false)) > 0) append(buffer.AsSpan(0, read));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
