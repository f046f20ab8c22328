using Nccid.Batch.Storage;

namespace Nccid.Batch.Tests.Storage;

public sealed class LocalFileStoreContractTests : ObjectStoreContractTests, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("nccid-store-contract-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    protected override async Task<IObjectStore> CreateStoreAsync(IReadOnlyList<(string Key, byte[] Content)> objects)
    {
        foreach (var (key, content) in objects)
        {
            var path = Path.Combine(_root, key);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, content);
        }

        return new LocalFileStore(_root);
    }
}
