using System.IO.Hashing;
using Nccid.Batch.Storage;

namespace Nccid.Batch.Tests.Storage;

/// <summary>Whole-file checksums: the manifests' SHA-256 and the scan index's XXH128, read in several buffers.</summary>
public sealed class FileHashesTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "nccid-hashes-" + Guid.NewGuid().ToString("N"));

    public FileHashesTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Sha256_is_the_standard_digest_in_lower_case_hex()
    {
        var path = Path.Combine(_root, "abc");
        await File.WriteAllTextAsync(path, "abc");
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", await FileHashes.Sha256Async(path, CancellationToken.None));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(262_144)]
    [InlineData(700_001)]
    public async Task Xxh128_of_a_file_read_in_buffers_is_that_of_its_bytes_at_once(int length)
    {
        var bytes = Enumerable.Range(0, length).Select(i => (byte)(i * 131 + (i >> 9))).ToArray();
        var path = Path.Combine(_root, "file-" + length);
        await File.WriteAllBytesAsync(path, bytes);
        var actual = await FileHashes.Xxh128Async(path, CancellationToken.None);
        Assert.Equal(Convert.ToHexStringLower(XxHash128.Hash(bytes)), actual);
        Assert.Equal(32, actual.Length);
    }
}
